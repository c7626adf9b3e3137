import { describe, expect, it } from 'vitest';
import { checkAttachment, isContentHash, safeName, sniffContent } from './attachments';
import { DEMO_TEMPLATE } from './demo-template';
import { checkCompleteness } from './forms';
import { COMPLETE_SYSTEM_FORM } from './testing/fixtures';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const pad = (head: Uint8Array, size = 64): Uint8Array => {
  const out = new Uint8Array(Math.max(size, head.length));
  out.set(head);
  return out;
};

const JPEG = pad(bytes([0xff, 0xd8, 0xff, 0xe0]));
const PNG = pad(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

describe('sniffing content by its first bytes', () => {
  it.each([
    ['jpeg', JPEG, 'image/jpeg'],
    ['png', PNG, 'image/png'],
    ['gif', pad(bytes('GIF89a')), 'image/gif'],
    ['webp', pad(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')), 'image/webp'],
    ['heic', pad(bytes([0, 0, 0, 24], 'ftypheic')), 'image/heic'],
    ['pdf', pad(bytes('%PDF-1.7')), 'application/pdf'],
    ['mp3 with ID3', pad(bytes('ID3', [4, 0])), 'audio/mpeg'],
    ['mp3 frame', pad(bytes([0xff, 0xfb, 0x90])), 'audio/mpeg'],
    ['m4a', pad(bytes([0, 0, 0, 32], 'ftypM4A ')), 'audio/mp4'],
    ['wav', pad(bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt ')), 'audio/wav'],
    ['webm', pad(bytes([0x1a, 0x45, 0xdf, 0xa3])), 'video/webm'],
    ['ogg', pad(bytes('OggS')), 'audio/ogg'],
    ['mp4', pad(bytes([0, 0, 0, 32], 'ftypisom')), 'video/mp4'],
  ])('recognises %s', (_n, b, mime) => {
    expect(sniffContent(b)?.mime).toBe(mime);
  });

  it('recognises nothing in text, executables or a truncated header', () => {
    expect(sniffContent(bytes('hello, world'))).toBeNull();
    expect(sniffContent(pad(bytes('MZ', [0x90, 0])))).toBeNull();
    expect(sniffContent(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffContent(new Uint8Array())).toBeNull();
  });
});

describe('checking an attachment', () => {
  it('accepts a 14.9 MB photo and refuses a 15.1 MB one with the sizes in the message', () => {
    expect(checkAttachment('现场.jpg', pad(JPEG, 14_900_000))).toMatchObject({ ok: true, type: { mime: 'image/jpeg' } });
    const big = checkAttachment('现场.jpg', pad(JPEG, 15_100_000));
    expect(big).toMatchObject({ ok: false, code: 'too_large' });
    expect(!big.ok && big.message).toBe('文件“现场.jpg”大小为 15.1 MB，超过单个附件上限 15 MB；请压缩或截取后再上传');
  });

  it('follows a configured limit', () => {
    expect(checkAttachment('a.png', pad(PNG, 2_000_000), { maxBytes: 1_000_000 })).toMatchObject({ ok: false, code: 'too_large' });
  });

  it('refuses a .jpg that is not an image, saying so in Chinese', () => {
    const r = checkAttachment('报错截图.jpg', bytes('MZ this is a program, not a photo'));
    expect(r).toMatchObject({ ok: false, code: 'unsupported_type' });
    expect(!r.ok && r.message).toContain('“报错截图.jpg”的内容无法识别，不是有效的图片');
  });

  it('refuses a name that promises a photo for a PDF', () => {
    const r = checkAttachment('photo.jpg', pad(bytes('%PDF-1.4')));
    expect(r).toMatchObject({ ok: false, code: 'type_mismatch' });
    expect(!r.ok && r.message).toContain('内容是 application/pdf');
  });

  it('accepts a recording whose container holds audio under a video extension', () => {
    expect(checkAttachment('录音.webm', pad(bytes([0x1a, 0x45, 0xdf, 0xa3])))).toMatchObject({ ok: true });
  });

  it('refuses an empty file', () => {
    expect(checkAttachment('a.png', new Uint8Array())).toMatchObject({ ok: false, code: 'empty' });
  });
});

describe('safe names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\system.ini', 'system.ini'],
    ['/abs/path/现场照片.jpg', '现场照片.jpg'],
    ['.hidden', 'hidden'],
    ['a\u0000b\r\n.png', 'ab.png'],
    ['bad<>:"|?*.pdf', 'bad.pdf'],
    ['..', '附件.bin'],
    ['', '附件.bin'],
  ])('%j becomes %j', (input, out) => {
    expect(safeName(input)).toBe(out);
  });

  it('shortens a long name but keeps its extension', () => {
    const n = safeName(`${'长'.repeat(300)}.jpeg`);
    expect(n.length).toBe(120);
    expect(n.endsWith('.jpeg')).toBe(true);
  });
});

it('knows a content address when it sees one', () => {
  expect(isContentHash('a'.repeat(64))).toBe(true);
  expect(isContentHash('A'.repeat(64))).toBe(false);
  expect(isContentHash('../'.repeat(20))).toBe(false);
});

it('makes intake wait for a screenshot where the form requires one, and takes content hashes as the answer', () => {
  const template = { ...DEMO_TEMPLATE, fields: DEMO_TEMPLATE.fields.map((f) => (f.key === 'attachments' ? { ...f, required: true } : f)) };
  const without = checkCompleteness(template, { ...COMPLETE_SYSTEM_FORM });
  expect(without.problems).toEqual([expect.objectContaining({ field: 'attachments', code: 'required' })]);
  expect(checkCompleteness(template, { ...COMPLETE_SYSTEM_FORM, attachments: [] }).complete).toBe(false);
  expect(checkCompleteness(template, { ...COMPLETE_SYSTEM_FORM, attachments: ['a'.repeat(64)] }).complete).toBe(true);
});

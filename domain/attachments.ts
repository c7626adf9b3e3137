/**
 * Attachments on tickets (issue 7): what a file is is decided by its first bytes, never by its
 * name; a size limit protects the plant; names are kept only as display text, never as paths.
 * Pure: bytes in, verdicts out. Seats and the sync server run the same checks.
 */

/** 15 MB (decimal, as people read it on a phone), configurable per seat and server. */
export const DEFAULT_MAX_ATTACHMENT_BYTES = 15_000_000;

export type AttachmentKind = 'image' | 'audio' | 'video' | 'pdf';

export interface Sniffed {
  mime: string;
  kind: AttachmentKind;
  /** The usual extension for the content (no dot). */
  ext: string;
}

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const startsWith = (b: Uint8Array, bytes: readonly number[]): boolean => b.length >= bytes.length && bytes.every((v, i) => b[i] === v);

/** ISO base media (`ftyp` box): HEIC photos, MP4 video, M4A audio. */
function sniffFtyp(b: Uint8Array): Sniffed | null {
  if (!ascii(b, 4, 'ftyp') || b.length < 12) return null;
  const brand = String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!);
  if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1', 'hevc'].includes(brand)) return { mime: 'image/heic', kind: 'image', ext: 'heic' };
  if (['M4A ', 'M4B '].includes(brand)) return { mime: 'audio/mp4', kind: 'audio', ext: 'm4a' };
  if (['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'qt  ', 'dash', '3gp4', '3gp5', '3gp6', '3g2a', 'MSNV'].includes(brand)) {
    return { mime: brand === 'qt  ' ? 'video/quicktime' : 'video/mp4', kind: 'video', ext: brand === 'qt  ' ? 'mov' : 'mp4' };
  }
  return null;
}

/** The content type by magic bytes, or null for anything not accepted on tickets. */
export function sniffContent(b: Uint8Array): Sniffed | null {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return { mime: 'image/jpeg', kind: 'image', ext: 'jpg' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mime: 'image/png', kind: 'image', ext: 'png' };
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return { mime: 'image/gif', kind: 'image', ext: 'gif' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return { mime: 'image/webp', kind: 'image', ext: 'webp' };
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE')) return { mime: 'audio/wav', kind: 'audio', ext: 'wav' };
  if (ascii(b, 0, '%PDF-')) return { mime: 'application/pdf', kind: 'pdf', ext: 'pdf' };
  if (ascii(b, 0, 'OggS')) return { mime: 'audio/ogg', kind: 'audio', ext: 'ogg' };
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return { mime: 'video/webm', kind: 'video', ext: 'webm' };
  if (ascii(b, 0, 'ID3') || (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0 && (b[1]! & 0x06) !== 0)) return { mime: 'audio/mpeg', kind: 'audio', ext: 'mp3' };
  return sniffFtyp(b);
}

/** What a name's extension promises; audio and video share containers (webm, mp4), so they count as one. */
const EXT_KIND: Record<string, AttachmentKind | 'media'> = {
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image', heic: 'image', heif: 'image',
  pdf: 'pdf',
  mp3: 'media', m4a: 'media', wav: 'media', ogg: 'media', oga: 'media', weba: 'media', webm: 'media', mp4: 'media', mov: 'media', '3gp': 'media',
};
const KIND_ZH: Record<AttachmentKind | 'media', string> = { image: '图片', audio: '音频', video: '视频', pdf: 'PDF 文档', media: '音视频' };

/** Display name without folders, control characters or leading dots; at most 120 characters. */
export function safeName(name: string, fallbackExt = 'bin'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '').replace(/\.{2,}/g, '.').replace(/^[.\s]+/, '').trim();
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
    clean = clean.slice(0, 120 - ext.length) + ext;
  }
  return clean === '' ? `附件.${fallbackExt}` : clean;
}

export type AttachmentCheck =
  | { ok: true; name: string; type: Sniffed }
  | { ok: false; code: 'too_large' | 'empty' | 'unsupported_type' | 'type_mismatch'; message: string };

const mb = (n: number) => `${(n / 1_000_000).toFixed(n % 1_000_000 === 0 ? 0 : 1)} MB`;

/** Checks a file before it is stored: size, type by content, and that the name does not lie about it. */
export function checkAttachment(name: string, bytes: Uint8Array, opts: { maxBytes?: number } = {}): AttachmentCheck {
  const max = opts.maxBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const shown = safeName(name);
  return checkSize(shown, bytes.length, max) ?? checkType(shown, bytes);
}

/** The size check alone (before any byte arrives: an upload announces its size first). */
export function checkSize(name: string, size: number, max = DEFAULT_MAX_ATTACHMENT_BYTES): AttachmentCheck & { ok: false } | null {
  if (size === 0) return { ok: false, code: 'empty', message: `文件“${name}”是空的` };
  if (size > max) return { ok: false, code: 'too_large', message: `文件“${name}”大小为 ${mb(size)}，超过单个附件上限 ${mb(max)}；请压缩或截取后再上传` };
  return null;
}

function checkType(name: string, bytes: Uint8Array): AttachmentCheck {
  const type = sniffContent(bytes);
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const promised = EXT_KIND[ext];
  if (!type) {
    const what = promised ? `，不是有效的${KIND_ZH[promised]}` : '';
    return { ok: false, code: 'unsupported_type', message: `文件“${name}”的内容无法识别${what}；只接受图片（JPEG/PNG/WebP/GIF/HEIC）、录音（MP3/M4A/WAV/WebM/OGG）、视频（MP4/WebM）和 PDF` };
  }
  if (promised && promised !== type.kind && !(promised === 'media' && (type.kind === 'audio' || type.kind === 'video'))) {
    return { ok: false, code: 'type_mismatch', message: `文件“${name}”的扩展名是${KIND_ZH[promised]}，但内容是 ${type.mime}（${KIND_ZH[type.kind]}）；请确认文件后重新选择` };
  }
  return { ok: true, name, type };
}

/** A content address: 64 lowercase hex digits (SHA-256). */
export const CONTENT_HASH = /^[0-9a-f]{64}$/;
export const isContentHash = (s: string): boolean => CONTENT_HASH.test(s);

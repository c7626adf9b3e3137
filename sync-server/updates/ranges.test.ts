import { describe, expect, it } from 'vitest';
import { MAX_RANGES, contentRange, parseRange } from './ranges';

describe('Range: bytes=… on a 1000-byte file', () => {
  it('serves the whole file without a header, or with one that is not bytes or is malformed', () => {
    for (const h of [undefined, 'items=0-5', 'bytes=', 'bytes=a-b', 'bytes=-', 'bytes=9-3', 'bytes=0-1;2-3']) expect(parseRange(h, 1000), String(h)).toEqual({ kind: 'whole' });
  });

  it('reads first-last, open-ended and suffix ranges, clipped to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 99 }] });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 900, end: 999 }] });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 900, end: 999 }] });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 990, end: 999 }] });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 999 }] });
  });

  it('keeps several ranges in order, as electron-updater sends them ("0-9, 20-29")', () => {
    expect(parseRange('bytes=0-9, 20-29,2000-2001', 1000)).toEqual({ kind: 'ranges', ranges: [{ start: 0, end: 9 }, { start: 20, end: 29 }] });
  });

  it('is unsatisfiable when no range starts inside the file', () => {
    expect(parseRange('bytes=1000-1001', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores a header with more ranges than electron-updater ever asks for at once', () => {
    const many = 'bytes=' + Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i}-${i}`).join(',');
    expect(parseRange(many, 5000)).toEqual({ kind: 'whole' });
    expect(contentRange({ start: 5, end: 9 }, 1000)).toBe('bytes 5-9/1000');
  });
});

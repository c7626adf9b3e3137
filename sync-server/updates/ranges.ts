/**
 * HTTP `Range: bytes=…` (RFC 9110 §14), pure. electron-updater's differential download asks for
 * many ranges of an installer at once (up to 1000 per request, `bytes=0-99, 200-299`) and expects
 * `206 multipart/byteranges`; a single range gets a plain 206.
 */
export interface ByteRange {
  start: number;
  /** Inclusive, as in Content-Range. */
  end: number;
}

export type RangeRequest =
  /** No Range header, or one that must be ignored (not bytes, malformed, too many): the whole file, 200. */
  | { kind: 'whole' }
  | { kind: 'ranges'; ranges: ByteRange[] }
  /** Well-formed, but no range overlaps the file: 416 with `Content-Range: bytes * /size`. */
  | { kind: 'unsatisfiable' };

export const MAX_RANGES = 1000;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const m = /^\s*bytes\s*=\s*(.+)$/i.exec(header);
  if (!m) return { kind: 'whole' };
  const specs = m[1]!.split(',').map((s) => s.trim());
  if (specs.length > MAX_RANGES) return { kind: 'whole' };
  const ranges: ByteRange[] = [];
  for (const spec of specs) {
    const r = /^(\d*)-(\d*)$/.exec(spec);
    if (!r || (r[1] === '' && r[2] === '')) return { kind: 'whole' };
    if (r[1] === '') {
      const suffix = Number(r[2]);
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(r[1]);
    const last = r[2] === '' ? Infinity : Number(r[2]);
    if (last < start) return { kind: 'whole' };
    if (start < size) ranges.push({ start, end: Math.min(last, size - 1) });
  }
  if (ranges.length === 0) return { kind: 'unsatisfiable' };
  // Overlapping ranges, or more bytes than the file, are an amplification (RFC 9110 §14.2; the
  // 2011 "Apache Killer"): `bytes=0-,0-,…` would send a 150 MB installer 1000 times for one 4 kB
  // request, and /updates/ needs no token. Such a request gets the file once (200). The ranges
  // keep the order asked for: the multipart reply answers in that order.
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  if (sorted.some((r, i) => i > 0 && r.start <= sorted[i - 1]!.end)) return { kind: 'whole' };
  return { kind: 'ranges', ranges };
}

export const contentRange = (r: ByteRange, size: number): string => `bytes ${r.start}-${r.end}/${size}`;

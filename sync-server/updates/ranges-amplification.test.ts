import { describe, expect, it } from 'vitest';
import { MAX_RANGES, parseRange } from './ranges';

/**
 * A Range header may ask for the same bytes many times over. RFC 9110
 * §14.2: a server ought to ignore, coalesce or reject overlapping ranges / many small ranges, since
 * they are a denial-of-service vector (the 2011 "Apache Killer", CVE-2011-3192). /updates/ needs no
 * token, so anyone on the plant network can send it.
 */
describe('Range amplification', () => {
  it('never plans to send much more than the file for one request', () => {
    const size = 150_000_000; // an installer
    const header = 'bytes=' + Array.from({ length: MAX_RANGES }, () => '0-').join(',');
    expect(header.length).toBeLessThan(4_000); // fits in one ordinary request line
    const r = parseRange(header, size);
    const planned = r.kind === 'ranges' ? r.ranges.reduce((n, x) => n + x.end - x.start + 1, 0) : r.kind === 'whole' ? size : 0;
    expect(planned).toBeLessThanOrEqual(size); // was 1000 × 150 MB = 150 GB for a 4 kB request
    expect(r.kind).toBe('whole');
  });

  it('answers overlapping ranges with the whole file, and keeps disjoint ones in the order asked', () => {
    expect(parseRange('bytes=0-99,50-149', 1_000).kind).toBe('whole');
    expect(parseRange('bytes=-100,850-', 1_000).kind).toBe('whole'); // a suffix overlapping an open range
    expect(parseRange('bytes=500-599,0-99', 1_000)).toEqual({ kind: 'ranges', ranges: [{ start: 500, end: 599 }, { start: 0, end: 99 }] });
  });
});

import { createHash } from 'node:crypto';

/**
 * Anti-entropy digests. Tickets fall into 256 buckets by a hash of their id; a bucket's digest is
 * the XOR of `ticketHash(id, heads)` over its tickets, so it updates incrementally (old ^ new) and
 * a server and a seat holding the same heads for the same tickets get the same 16 bytes.
 */
export const BUCKETS = 256;

export function bucketOf(ticketId: string): number {
  return createHash('sha256').update('bucket\u0000').update(ticketId).digest()[0]!;
}

/** 16 bytes (two 64-bit halves) standing for one ticket at its heads. */
export function ticketHash(ticketId: string, heads: readonly string[]): [bigint, bigint] {
  const d = createHash('sha256').update(ticketId).update('\u0000').update([...heads].sort().join(',')).digest();
  return [d.readBigInt64BE(0), d.readBigInt64BE(8)];
}

export type BucketDigest = [bigint, bigint];

export function emptyDigest(): BucketDigest[] {
  return Array.from({ length: BUCKETS }, () => [0n, 0n] as BucketDigest);
}

export function xorInto(d: BucketDigest, h: readonly [bigint, bigint]): void {
  d[0] = BigInt.asIntN(64, d[0] ^ h[0]);
  d[1] = BigInt.asIntN(64, d[1] ^ h[1]);
}

export function digestHex(d: readonly [bigint, bigint]): string {
  const b = Buffer.alloc(16);
  b.writeBigInt64BE(d[0], 0);
  b.writeBigInt64BE(d[1], 8);
  return b.toString('hex');
}

/** The digest of a whole set of tickets (a seat's replica, a test's expectation). */
export function digestOf(tickets: Iterable<{ id: string; heads: readonly string[] }>): string[] {
  const d = emptyDigest();
  for (const t of tickets) xorInto(d[bucketOf(t.id)]!, ticketHash(t.id, t.heads));
  return d.map(digestHex);
}

/** Keeps a digest up to date as tickets' heads change. */
export class DigestIndex {
  private readonly buckets = emptyDigest();
  update(ticketId: string, before: readonly string[] | null, after: readonly string[]): void {
    const b = this.buckets[bucketOf(ticketId)]!;
    if (before) xorInto(b, ticketHash(ticketId, before));
    xorInto(b, ticketHash(ticketId, after));
  }
  /** Takes a ticket out (the seat dropped it). */
  remove(ticketId: string, heads: readonly string[]): void {
    xorInto(this.buckets[bucketOf(ticketId)]!, ticketHash(ticketId, heads));
  }
  hex(): string[] {
    return this.buckets.map(digestHex);
  }
}

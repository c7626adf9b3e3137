import * as Automerge from '@automerge/automerge';
import type { Heads } from '@automerge/automerge';

/**
 * The outbox of one ticket: the Automerge changes the sync server has not acknowledged, kept as
 * one blob of length-prefixed changes (u32 big-endian length, then the change bytes).
 */
export function encodeChanges(changes: readonly Uint8Array[]): Uint8Array {
  const size = changes.reduce((n, c) => n + 4 + c.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const c of changes) {
    view.setUint32(at, c.length);
    out.set(c, at + 4);
    at += 4 + c.length;
  }
  return out;
}

export function decodeChanges(blob: Uint8Array): Uint8Array[] {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) throw new Error('outbox blob is truncated');
    const len = view.getUint32(at);
    if (at + 4 + len > blob.length) throw new Error('outbox blob is truncated');
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}

/** True when every one of `heads` is among `acked`: the server has the whole document. */
export function covers(acked: Heads, heads: Heads): boolean {
  const set = new Set(acked);
  return heads.every((h) => set.has(h));
}

/**
 * The changes the acknowledged heads do not cover: a change is covered when it is one of the
 * heads or an ancestor of one. Ancestors outside `changes` were acknowledged earlier.
 */
export function unacknowledged(changes: readonly Uint8Array[], acked: Heads): Uint8Array[] {
  const decoded = changes.map((bytes) => ({ bytes, change: Automerge.decodeChange(bytes) }));
  const byHash = new Map(decoded.map((d) => [d.change.hash, d]));
  const covered = new Set<string>();
  const stack = acked.filter((h) => byHash.has(h));
  while (stack.length > 0) {
    const h = stack.pop()!;
    if (covered.has(h)) continue;
    covered.add(h);
    for (const dep of byHash.get(h)!.change.deps) if (byHash.has(dep)) stack.push(dep);
  }
  return decoded.filter((d) => !covered.has(d.change.hash)).map((d) => d.bytes);
}

import { decodeChange } from '@automerge/automerge';
import { createHash } from 'node:crypto';

/**
 * The hash and dependencies of an Automerge change, read from its chunk header instead of
 * `Automerge.decodeChange` (which decodes every operation: 0.3 ms per ticket-sized change against
 * 0.01 ms here). Chunk layout: magic (4) · checksum (4) · type (1) · uLEB length · body, where the
 * body starts with the dependency count and 32-byte hashes, and the hash is SHA-256 over
 * type · length · body (the checksum is its first 4 bytes). Compressed changes (type 2) are rare
 * and fall back to Automerge.
 */
export interface ChangeMeta {
  hash: string;
  deps: string[];
}

const MAGIC = [0x85, 0x6f, 0x4a, 0x83];
const CHANGE = 1;
const COMPRESSED = 2;

export class ChangeFormatError extends Error {}

function uleb(b: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < b.length && shift < 49; i++) {
    const x = b[i]!;
    value += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if ((x & 0x80) === 0) return [value, i + 1];
  }
  throw new ChangeFormatError('truncated length');
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function changeMeta(bytes: Uint8Array): ChangeMeta {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new ChangeFormatError('not an Automerge chunk');
  const type = bytes[8];
  if (type === COMPRESSED) {
    try {
      const c = decodeChange(bytes);
      return { hash: c.hash, deps: [...c.deps] };
    } catch {
      throw new ChangeFormatError('unreadable compressed change');
    }
  }
  if (type !== CHANGE) throw new ChangeFormatError('not a change chunk');
  const [length, bodyAt] = uleb(bytes, 9);
  if (bodyAt + length !== bytes.length) throw new ChangeFormatError('chunk length does not match');
  const digest = createHash('sha256').update(bytes.subarray(8)).digest();
  for (let i = 0; i < 4; i++) if (digest[i] !== bytes[4 + i]) throw new ChangeFormatError('checksum mismatch');
  const [count, depsAt] = uleb(bytes, bodyAt);
  if (depsAt + count * 32 > bytes.length) throw new ChangeFormatError('truncated dependencies');
  const deps: string[] = [];
  for (let i = 0; i < count; i++) deps.push(hex(bytes.subarray(depsAt + i * 32, depsAt + (i + 1) * 32)));
  return { hash: digest.toString('hex'), deps };
}

/** Heads of a set of changes that form a whole history (e.g. a new ticket): hashes no one depends on. */
export function headsOf(metas: readonly ChangeMeta[]): string[] {
  const depended = new Set<string>();
  for (const m of metas) for (const d of m.deps) depended.add(d);
  return [...new Set(metas.map((m) => m.hash).filter((h) => !depended.has(h)))].sort();
}

/** Byte strings one after the other (a saved document and changes load as one: `Automerge.load`). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Two head lists hold the same hashes (order aside). */
export const sameHeads = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((h) => b.includes(h));

/**
 * Deterministic picks: the same ticket gets the same person on every seat, without coordination.
 * FNV-1a (32-bit) of the ticket's id, modulo the candidates sorted by id.
 */

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** One of `candidates` chosen by `key`; null when there are none. */
export function pickFor(key: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0) return null;
  const sorted = [...new Set(candidates)].sort();
  return sorted[fnv1a32(key) % sorted.length] ?? null;
}

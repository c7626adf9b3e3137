/**
 * Reconnect delays: exponential with jitter, so that a hundred seats losing the server at once do
 * not come back in the same millisecond. Attempt n waits a random time in [cap/2, cap] where
 * cap = min(maxMs, baseMs · 2^n). Randomness is injected (tests pass a fixed sequence).
 */
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 250;
  const max = opts.maxMs ?? 30_000;
  const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
  const r = (opts.random ?? Math.random)();
  return Math.round(cap / 2 + (r * cap) / 2);
}

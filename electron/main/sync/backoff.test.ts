import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('reconnect backoff', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    const top = (n: number) => backoffDelay(n, { baseMs: 100, maxMs: 5_000, random: () => 1 });
    expect([0, 1, 2, 3, 6, 20].map(top)).toEqual([100, 200, 400, 800, 5_000, 5_000]);
  });
  it('spreads seats between half the ceiling and the ceiling', () => {
    expect(backoffDelay(3, { baseMs: 100, random: () => 0 })).toBe(400);
    expect(backoffDelay(3, { baseMs: 100, random: () => 0.5 })).toBe(600);
  });
});

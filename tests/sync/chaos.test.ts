import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos/run';

/** A small chaos configuration inside `npm test` (the full run: `npm run -s test:chaos`). */
describe('chaos', () => {
  it('converges with every invariant holding after edits, partitions, seat restarts and kill -9 of the server', { timeout: 90_000 }, async () => {
    const report = await runChaos({ seed: 7, seats: 3, ops: 150, maxKills: 2 });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.kills).toBeGreaterThan(0);
    expect(report.refused).toBeGreaterThan(0);
  });
});

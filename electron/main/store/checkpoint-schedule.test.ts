import { describe, expect, it } from 'vitest';
import { CheckpointSchedule } from './checkpoint-schedule';

describe('the checkpoint schedule', () => {
  it('is due after `every` writes, or a quarter of the store when that is more', () => {
    const s = new CheckpointSchedule(0, 2_000);
    expect(s.wrote(1_999, 100)).toBe(false);
    expect(s.wrote(1, 100)).toBe(true);
    const big = new CheckpointSchedule(0, 2_000);
    expect(big.wrote(2_000, 50_000)).toBe(false);
    expect(big.wrote(10_499, 50_000)).toBe(false);
    expect(big.wrote(1, 50_000)).toBe(true);
    expect(new CheckpointSchedule(2_500, 2_000).wrote(0, 100)).toBe(true); // replayed at open
  });

  it('runs one checkpoint at a time and counts off only the writes it covered', async () => {
    const s = new CheckpointSchedule(0, 10);
    s.wrote(12, 0);
    let finish!: (covered: number) => void;
    let takes = 0;
    const first = s.run(() => (takes++, new Promise<number>((r) => (finish = r))));
    expect(s.run(async () => (takes++, 0))).toBe(first);
    expect(s.wrote(3, 0)).toBe(false); // due, but one runs
    finish(12);
    await first;
    expect(takes).toBe(1);
    expect(s.current).toBeNull();
    expect(s.written).toBe(3);
  });

  it('counts off nothing when a checkpoint fails', async () => {
    const s = new CheckpointSchedule(0, 10);
    s.wrote(12, 0);
    await expect(s.run(async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(s.written).toBe(12);
    expect(s.wrote(0, 0)).toBe(true);
  });
});

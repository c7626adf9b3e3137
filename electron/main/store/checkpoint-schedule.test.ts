import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointSchedule } from './checkpoint-schedule';

describe('the checkpoint schedule', () => {
  afterEach(() => vi.useRealTimers());

  it('is due after `every` writes, or a quarter of the store when that is more, and is taken once writes pause', () => {
    vi.useFakeTimers();
    let taken = 0;
    const s = new CheckpointSchedule(0, 2_000, () => taken++, 1_000);
    s.wrote(1_999, 100);
    vi.advanceTimersByTime(5_000);
    expect(taken).toBe(0);
    s.wrote(1, 100);
    expect(taken).toBe(1); // half the store is less than `every`: now
    const big = new CheckpointSchedule(0, 2_000, () => taken++, 1_000);
    big.wrote(12_499, 50_000);
    vi.advanceTimersByTime(5_000);
    expect(taken).toBe(1);
    big.wrote(1, 50_000); // a quarter: due, once writes pause
    vi.advanceTimersByTime(900);
    big.wrote(10, 50_000); // another write: the pause starts again
    vi.advanceTimersByTime(900);
    expect(taken).toBe(1);
    vi.advanceTimersByTime(100);
    expect(taken).toBe(2);
    new CheckpointSchedule(2_500, 2_000, () => taken++).wrote(0, 100); // replayed at open
    expect(taken).toBe(3);
  });

  it('takes one at half the store when writes never pause (a bootstrap)', async () => {
    vi.useFakeTimers();
    const at: number[] = [];
    let size = 0;
    const s = new CheckpointSchedule(0, 2_000, () => {
      at.push(size);
      void s.run(async () => s.written);
    }, 1_000);
    // 100 batches of 500 new tickets, 200 ms apart: never a pause of a second.
    for (let b = 0; b < 100; b++) {
      size += 500;
      s.wrote(500, size);
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(at).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(at).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 50_000]); // the pause after the last batch
  });

  it('runs one checkpoint at a time and counts off only the writes it covered', async () => {
    let takes = 0;
    const s = new CheckpointSchedule(0, 10, () => takes++);
    s.wrote(12, 0);
    expect(takes).toBe(1);
    let finish!: (covered: number) => void;
    const first = s.run(() => new Promise<number>((r) => (finish = r)));
    expect(s.run(async () => 0)).toBe(first);
    s.wrote(3, 0); // due, but one runs
    expect(takes).toBe(1);
    finish(12);
    await first;
    expect(s.current).toBeNull();
    expect(s.written).toBe(3);
  });

  it('counts off nothing when a checkpoint fails', async () => {
    let takes = 0;
    const s = new CheckpointSchedule(0, 10, () => takes++);
    s.wrote(12, 0);
    await expect(s.run(async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    expect(s.written).toBe(12);
    s.wrote(0, 0);
    expect(takes).toBe(2);
  });

  it('forgets a checkpoint waiting for a pause when stopped (the store closes)', () => {
    vi.useFakeTimers();
    let taken = 0;
    const s = new CheckpointSchedule(0, 10, () => taken++, 1_000);
    s.wrote(30, 100);
    s.stop();
    vi.advanceTimersByTime(5_000);
    expect(taken).toBe(0);
  });
});

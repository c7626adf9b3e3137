import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followClockFile, settableClock } from './clock-file';

describe('the host’s settable clock', () => {
  it('starts at --now, runs in real time, and jumps to what is written', () => {
    let real = 1_000_000;
    const clock = settableClock('2026-03-03T23:10:00+08:00', () => real);
    expect(clock.now().toISOString()).toBe('2026-03-03T15:10:00.000Z');
    real += 60_000;
    expect(clock.now().toISOString()).toBe('2026-03-03T15:11:00.000Z');
    expect(clock.set('2026-03-03T23:30:00+08:00\n')).toBe(true);
    real += 1000;
    expect(clock.now().toISOString()).toBe('2026-03-03T15:30:01.000Z');
    expect(clock.set('soon')).toBe(false);
  });

  it('follows the file it is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-clock-'));
    const path = join(dir, 'clock');
    const clock = settableClock(null);
    const moves: string[] = [];
    const stop = followClockFile(path, clock, () => moves.push(clock.now().toISOString().slice(0, 16)), () => undefined);
    writeFileSync(path, '2030-01-01T00:00:00Z');
    await expect.poll(() => moves, { timeout: 10_000 }).toEqual(['2030-01-01T00:00']);
    stop();
    rmSync(dir, { recursive: true, force: true });
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { projectTicket } from '../../../domain';
import type { TicketEntry } from './records';
import { readCheckpoint, writeCheckpoint } from './row-checkpoint';
import { makeTicket } from './test-tickets';

const entriesOf = (n: number): TicketEntry[] =>
  Array.from({ length: n }, (_, i) => ({ row: projectTicket(makeTicket(i)), version: `1-${i}`, heads: [i.toString(16).padStart(64, '0')], acked: [], pending: i % 3 }));

const dirs: string[] = [];
const fileIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-checkpoint-'));
  dirs.push(dir);
  return join(dir, 'rows.checkpoint.json');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the row checkpoint', () => {
  it('writes, a chunk at a time, the JSON one stringify would, and reads it back', async () => {
    for (const n of [0, 1, 2_500]) {
      const file = fileIn();
      const entries = entriesOf(n);
      await writeCheckpoint(file, entries, `${n}-seq`);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ format: 1, seq: `${n}-seq`, count: n, entries });
      expect(await readCheckpoint(file)).toEqual({ entries, seq: `${n}-seq` });
    }
  });

  it('does not hold the event loop for the whole file (the console froze for it at 50,000 tickets)', async () => {
    const entries = entriesOf(20_000);
    const t0 = performance.now();
    JSON.stringify(entries);
    const oneStringify = performance.now() - t0;
    let last = performance.now();
    let longest = 0;
    let running = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await writeCheckpoint(fileIn(), entries, 1);
    running = false;
    expect(longest).toBeLessThan(oneStringify / 2);
  });
});

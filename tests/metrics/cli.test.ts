import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOW, SITE } from '../../domain/metrics/testing/fixture';
import { runMetrics } from '../../scripts/metrics';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';
let tickets = '';
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const args = (...more: string[]) => ['--tickets', tickets, '--from', '2026-02-18', '--to', '2026-02-19', '--now', NOW, ...more];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-cli-'));
  tickets = file('site.json', JSON.stringify(SITE));
});

describe('metrics CLI (in process)', () => {
  it('prints the hand-computed figures as one JSON object', () => {
    const out = runMetrics(args());
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const m = JSON.parse(out.stdout);
    expect(m).toMatchObject({
      created: 7,
      avgCloseHours: 10,
      avgCloseHoursByLocation: { '1号楼': 8, '3号楼': 12 },
      topRepeatDevices: [{ device: 'AC-3F-02', count: 2 }, { device: 'M-07', count: 2 }],
      breakpoints: { created_assigned: 2, assigned_accepted: 3, accepted_firstResponse: 1, firstResponse_arrived: 2, arrived_resolved: 0, resolved_verified: 0, verified_archived: 0 },
      breakpointsByDay: { created_assigned: { '2026-02-18': 1, '2026-02-19': 1 } },
      breakpointDetails: { created_assigned: { thresholdMinutes: 120, late: 2, byDay: { '2026-02-18': 1, '2026-02-19': 1 } } },
    });
    expect(m.firstResponse2hRate).toBeCloseTo(5 / 7, 12);
    expect(m.firstPassRate).toBeCloseTo(6 / 7, 12);
  });

  it('counts days in the pack’s zone and uses its thresholds', () => {
    const pack = file('utc.yaml', 'version: 1\nsite: { timezone: UTC }\nbreakpoints:\n  assigned_accepted: 1h\n');
    const m = JSON.parse(runMetrics(args('--pack', pack)).stdout);
    // In UTC, F (16:30Z on the 17th) falls out; A B D I J K remain. No acceptance took over 1 h.
    expect(m.created).toBe(6);
    expect(m.breakpoints.assigned_accepted).toBe(0);
    expect(m.breakpointDetails.assigned_accepted.thresholdMinutes).toBe(60);
  });

  it('adds the breakpoint-elimination rate against a baseline period', () => {
    const m = JSON.parse(runMetrics(args('--baseline-from', '2026-02-18', '--baseline-to', '2026-02-18')).stdout);
    // baseline (the 18th: A B F): created→assigned 1 (F), now 2 → 1 − 2/1 = −1
    expect(m.baseline.breakpoints.created_assigned).toBe(1);
    expect(m.breakpointEliminationRate.created_assigned).toBe(-1);
    expect(m.breakpointEliminationRate.arrived_resolved).toBeNull();
  });

  it('exits 2 with a message on bad input, nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [['--tickets', join(dir, 'missing.json'), '--from', '2026-02-18', '--to', '2026-02-19', '--now', NOW], /cannot read tickets .*missing\.json/],
      [['--tickets', file('bad.json', '[{'), '--from', '2026-02-18', '--to', '2026-02-19', '--now', NOW], /bad\.json: not valid JSON/],
      [['--tickets', file('obj.json', '{}'), '--from', '2026-02-18', '--to', '2026-02-19', '--now', NOW], /expected a JSON array/],
      [args().map((a) => (a === NOW ? '2026-02-20T10:00:00' : a)), /--now .*offset/],
      [['--tickets', file('naive.json', JSON.stringify([{ state: 'closed', createdAt: '2026-02-18T10:00:00' }])), '--from', '2026-02-18', '--to', '2026-02-19', '--now', NOW], /naive\.json\[0\]: createdAt: expected an ISO-8601 time with an offset/],
      [['--tickets', tickets, '--from', '2026-02-19', '--to', '2026-02-18', '--now', NOW], /--from 2026-02-19 is after to 2026-02-18/],
      [['--tickets', tickets, '--from', '2026-02-18', '--now', NOW], /missing --to/],
      [[...args(), '--verbose'], /Unknown option '--verbose'/],
      [args('--pack', file('bad-pack.yaml', 'version: 1\nsite: { timezone: Mars/Base }\n')), /bad-pack\.yaml/],
    ];
    for (const [argv, message] of cases) {
      const out = runMetrics(argv);
      expect(out.code, argv.join(' ')).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(message);
    }
  });
});

describe('metrics CLI (spawned as `npx tsx scripts/metrics.ts`)', () => {
  const exec = promisify(execFile);
  const spawnMetrics = (argv: string[]) => exec('npx', ['tsx', 'scripts/metrics.ts', ...argv], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

  it('exits 0 with one JSON object on stdout', async () => {
    const out = await spawnMetrics(args());
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ created: 7, avgCloseHours: 10 });
  });

  it('exits 2 on a period that ends before it starts', async () => {
    const out = await spawnMetrics(['--tickets', tickets, '--from', '2026-02-20', '--to', '2026-02-18', '--now', NOW]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('is after to');
  });
});

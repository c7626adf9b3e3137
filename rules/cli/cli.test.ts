import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seed = join(root, 'rules/packs/seed.yaml');
let dir = '';
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const bearing = {
  id: 't-0872', no: 'MX20260218-0872', title: '3号线传送带', description: '电机轴承有异响，有停机风险', category: '硬件',
  device: 'M-07', location: '1号楼', state: 'pending_acceptance', createdAt: '2026-02-18T22:10:00+08:00', tags: [],
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rules-cli-'));
});

describe('rules CLI (in process)', () => {
  it('exits 2 with the pack error on stderr and nothing on stdout', async () => {
    const pack = file('bad.yaml', 'version: 1\nsite: { timezone: Asia/Shanghai }\nrouting:\n  - { id: r, when: { time: { between: ["25:00", "07:59"] } }, then: { tags: [x] } }\n');
    const out = await run(['eval', '--pack', pack, '--ticket', file('t.json', bearing), '--now', '2026-02-18T22:10:00+08:00']);
    expect(out).toEqual({ code: 2, stdout: '', stderr: 'bad.yaml: routing[0] (r) .when.time.between[0]: expected "HH:MM" (00:00–23:59)\n' });
  });

  it('exits 2 on a time without offset, a bad ticket, an unknown option or event, a missing file', async () => {
    const t = file('t.json', bearing);
    expect(await run(['eval', '--pack', seed, '--ticket', t, '--now', '2026-02-18T22:10:00'])).toMatchObject({ code: 2, stdout: '' });
    expect((await run(['eval', '--pack', seed, '--ticket', file('bad-ticket.json', { ...bearing, createdAt: '2026-02-18 22:10' }), '--now', '2026-02-18T22:10:00+08:00'])).stderr)
      .toContain('bad-ticket.json: createdAt: expected an ISO-8601 time with an offset');
    expect((await run(['eval', '--pack', seed, '--ticket', t, '--now', '2026-02-18T22:10:00+08:00', '--verbose'])).code).toBe(2);
    expect((await run(['eval', '--pack', seed, '--ticket', t, '--now', '2026-02-18T22:10:00+08:00', '--event', 'closed'])).stderr).toContain('--event closed: expected created');
    expect((await run(['eval', '--pack', join(dir, 'missing.yaml'), '--ticket', t, '--now', '2026-02-18T22:10:00+08:00'])).stderr).toContain('cannot read pack');
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('exits 1 on an internal fault', async () => {
    const broken = { eval: { run: () => { throw new TypeError('boom'); }, options: [] } };
    const out = await run(['eval'], broken);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('internal error: TypeError: boom');
  });

  it('validates a pack', async () => {
    expect(await run(['validate', '--pack', seed])).toEqual({
      code: 0, stderr: '', stdout: 'seed.yaml: ok — 6 routing, 5 SLA, 3 automations, 11 people, 6 keywords\n',
    });
  });

  it('simulates a draft over past tickets and ends with a summary line', async () => {
    const past = file('past.json', [
      { ...bearing, id: 'p1', no: 'MX-1', createdAt: '2026-03-03T23:10:00+08:00', state: 'closed' },
      { ...bearing, id: 'p2', no: 'MX-2', title: '打印机卡纸', description: '', createdAt: '2026-03-04T10:00:00+08:00', state: 'closed', pool: '综合受理', priority: 'P3' },
    ]);
    const out = await run(['simulate', '--pack', seed, '--tickets', past, '--now', '2026-03-10T00:00:00+08:00', '--since', '30d']);
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toBe('MX-1  2026-03-03T23:10:00+08:00  3号线传送带');
    expect(lines).toContain('    assignee: (none) → lin.chief (林师傅)');
    expect(lines.at(-1)).toBe('simulated 2 tickets created in the 30d before 2026-03-10T00:00:00+08:00 (vs. what the tickets got): 1 would change (assignee 1, pool 1, priority 1, tags 1, notifications 1)');
  });
});

describe('rules CLI (spawned)', () => {
  const exec = promisify(execFile);
  const cli = (args: string[], env: Record<string, string> = {}) =>
    exec('npx', ['tsx', 'rules/cli/main.ts', ...args], { cwd: root, env: { ...process.env, ...env } })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

  it('prints one JSON object and exits 0, whatever the machine time zone', async () => {
    const t = file('spawn.json', bearing);
    const out = await cli(['eval', '--pack', seed, '--ticket', t, '--now', '2026-02-18T22:10:00+08:00'], { TZ: 'America/New_York' });
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      assignee: 'lin.chief', pool: '紧急-机械类', skipDispatch: true, priority: 'P1', tags: ['夜间直派'], fired: ['night-bearing'],
      notifications: [{ rule: 'night-bearing', channel: 'sms', to: 'lin.chief' }],
      deadlines: [{ rule: 'dispatch-30m', state: 'dispatched', level: 'escalate', dueAt: '2026-02-18T22:40:00+08:00', breached: false }],
      banners: [], pushes: [], tasks: [],
    });
    expect((result.explain as string[])[0]).toBe('night-bearing: keyword 轴承 in description; 22:10 within 20:00–07:59 → 林师傅');
  });

  it('exits 2 with the error on stderr for a time without offset', async () => {
    const out = await cli(['eval', '--pack', seed, '--ticket', file('spawn2.json', bearing), '--now', '2026-02-18T22:10']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('--now 2026-02-18T22:10: expected an ISO-8601 time with an offset');
  });
});

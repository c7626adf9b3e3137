import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceTreeRulebook } from '../../electron/main/rules/default-source';
import { BEARING_FORM, PLAIN_FORM, openTestSeat, type TestSeat } from '../../electron/main/rules/test-seat';

/**
 * `npm run -s rules -- simulate --pack DRAFT --since 30d --data SEAT-FOLDER`: a draft replayed over
 * a seat's own tickets, read from its store — refused while a running node holds the folder.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const exec = promisify(execFile);
const cli = (args: string[]) =>
  exec('npx', ['tsx', 'electron/main/rules/cli/main.ts', ...args], { cwd: root })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

const SEED = sourceTreeRulebook().seed.text;
let seat: TestSeat;
let dataDir = '';
let draft = '';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'closeloop-sim-cli-'));
  draft = join(dataDir, '..', `draft-${process.pid}.yaml`);
  writeFileSync(draft, SEED.replace(/ {2}- id: night-bearing[\s\S]*?(?= {2}- id: day-mechanical)/, ''));
  seat = await openTestSeat({ now: '2026-03-03T23:10:00+08:00', seat: 'CD', dataDir });
  const agent = await seat.as('wang.fang');
  await seat.call('tickets.create', { form: BEARING_FORM }, agent);
  seat.setClock('2026-03-04T10:00:00+08:00');
  await seat.call('tickets.create', { form: PLAIN_FORM }, agent);
}, 60_000);

afterAll(async () => {
  await seat.close().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(draft, { force: true });
});

describe('rules simulate --data', () => {
  it('refuses clearly while a running node holds the seat’s folder', async () => {
    const out = await cli(['simulate', '--pack', draft, '--since', '30d', '--data', dataDir, '--now', '2026-03-20T10:00:00+08:00']);
    expect(out).toMatchObject({ code: 2, stdout: '' });
    expect(out.stderr).toContain('in use by a running node');
  }, 60_000);

  it('replays the draft over the seat’s tickets against its rulebook and prints them ticket by ticket', async () => {
    await seat.node.close();
    const out = await cli(['simulate', '--pack', draft, '--since', '30d', '--data', dataDir, '--now', '2026-03-20T10:00:00+08:00']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^MX20260303-\S+ {2}2026-03-03T23:10:00\+08:00 {2}3号机床主轴停转$/);
    expect(lines).toContain('    pool: 紧急-机械类 → 综合受理');
    expect(lines).toContain('    night-bearing (routing): 1 → 0');
    expect(lines.at(-1)).toBe("simulated 2 tickets created in 2026-02-18T10:00:00+08:00 – 2026-03-20T10:00:00+08:00 on seat CD (vs. the seat's rulebook v0 演示站点默认规则): 1 would change (assignee 1, pool 1, priority 1, tags 1, skipDispatch 1, notifications 1)");

    const json = await cli(['simulate', '--pack', draft, '--since', '2026-03-04T00:00:00+08:00', '--data', dataDir, '--now', '2026-03-20T10:00:00+08:00', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ replayed: 1, changedTotal: 0, source: 'documents' });
    expect((await cli(['simulate', '--pack', draft, '--data', join(dataDir, 'nope')])).stderr).toContain('not a seat\'s data folder');
  }, 120_000);
});

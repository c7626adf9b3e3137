import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeMetrics, metricsConfig } from '../../../domain/metrics';
import { dispatch, type CallContext, type CallName, type CallOutput, type ContractErrorBody } from '../../contract/ipc';
import { createLocalNode, type LocalNode } from '../node';

const NOW = Date.parse('2026-03-10T07:00:00.000Z'); // 15:00 in Asia/Shanghai
let dataDir: string;
let node: LocalNode;
let now: number;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'closeloop-metrics-'));
  now = NOW;
  node = await createLocalNode({ dataDir, seat: 'AB', clock: () => now, rules: false });
  await node.seedDemo({ count: 300, seed: 2 });
});
afterEach(async () => {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<K extends CallName>(name: K, input: unknown, ctx: CallContext): Promise<CallOutput<K>> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`);
  return reply.value;
}
async function refusal(name: CallName, input: unknown, ctx: CallContext): Promise<ContractErrorBody> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (reply.ok) throw new Error(`${name} was expected to fail`);
  return reply.error;
}
async function as(userId: string): Promise<CallContext> {
  const ctx: CallContext = { session: null };
  await call('session.signIn', { userId }, ctx);
  return ctx;
}

describe('the metrics calls of the local node', () => {
  it('are for supervisors and admins only', async () => {
    expect((await refusal('metrics.overview', {}, { session: null })).code).toBe('not_signed_in');
    expect((await refusal('metrics.stuck', {}, await as('wang.fang'))).code).toBe('not_allowed');
    expect((await call('metrics.stuck', {}, await as('admin'))).total).toBeGreaterThan(0);
  });

  it('compute with the seed pack’s thresholds and zone and say the seat is not in sync', async () => {
    const sup = await as('zhou.sup');
    const o = await call('metrics.overview', { from: '2026-03-04', to: '2026-03-10' }, sup);
    const pack = node.rulebook.current().pack;
    const expected = computeMetrics(node.store.rows(), o.period, now, metricsConfig(pack.zone, pack.breakpoints));
    expect(o.metrics).toEqual(expected);
    expect(o.rulebook).toEqual({ version: 0, name: node.rulebook.current().name });
    expect(o).toMatchObject({ online: false, lastSyncAt: null, today: '2026-03-10', asOf: '2026-03-10T07:00:00.000Z' });
  });

  it('move a ticket out of 创建→派单 when a supervisor dispatches it', async () => {
    const sup = await as('zhou.sup');
    const waiting = await call('metrics.stuck', { stage: 'created_assigned' }, sup);
    const ticket = waiting.rows[0]!;
    now += 5 * 60_000;
    await call('tickets.transition', { id: ticket.id, action: 'dispatch', input: { assignee: 'chen.tech' } }, sup);
    expect((await call('metrics.stuck', { stage: 'created_assigned' }, sup)).total).toBe(waiting.total - 1);
    const next = await call('metrics.stuck', { assignee: 'chen.tech', stage: 'assigned_accepted' }, sup);
    expect(next.rows.map((r) => r.id)).toContain(ticket.id);
  });

  it('refuse a trend window other than 30 or 90 days, naming the field', async () => {
    const e = await refusal('metrics.trends', { days: 45 }, await as('zhou.sup'));
    expect(e).toMatchObject({ code: 'bad_request', field: 'days' });
    const t = await call('metrics.trends', { days: 90 }, await as('zhou.sup'));
    expect(t.trends.days).toHaveLength(90);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type CallContext, type CallName, type CallOutput, type ContractErrorBody } from '../../contract/ipc';
import { createLocalNode, type LocalNode } from './local-node';

const NOW = Date.parse('2026-11-24T01:00:00.000Z'); // 09:00 in Asia/Shanghai
const FORM = {
  title: '主轴轴承异响', requester_name: '张三', requester_phone: '13812345678', area: '公共区域',
  location: '3号楼/2单元/1502', device: 'CNC-07', fault_type: '硬件', description: '设备运行时有明显的金属摩擦声',
  urgency: '立即处理', owner_cooperation: '否', faulty_part: '主轴轴承',
};

let dataDir: string;
let node: LocalNode;
let now: number;
// The bare node: handlers and store without the rule runner (electron/main/rules has its own tests).
const open = () => createLocalNode({ dataDir, seat: 'AB', clock: () => now, rules: false });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'closeloop-node-'));
  now = NOW;
  node = await open();
});
afterEach(async () => {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<K extends CallName>(name: K, input: unknown, ctx: CallContext): Promise<CallOutput<K>> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), { body: reply.error });
  return reply.value;
}
async function refusal(name: CallName, input: unknown, ctx: CallContext): Promise<ContractErrorBody> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (reply.ok) throw new Error(`${name} was expected to fail`);
  return reply.error;
}
async function signedIn(userId: string): Promise<CallContext> {
  const ctx: CallContext = { session: null };
  await call('session.signIn', { userId }, ctx);
  return ctx;
}

describe('sessions', () => {
  it('signs in as one of the site’s people and keeps them as the seat’s default over a restart', async () => {
    expect((await call('site.info', {}, { session: null })).site.prefix).toBe('MX');
    expect((await refusal('session.signIn', { userId: 'nobody' }, { session: null })).code).toBe('not_found');
    const ctx = await signedIn('wang.fang');
    expect(ctx.session?.user.role).toBe('agent');
    expect((await call('session.current', {}, ctx))?.seat).toBe('AB');
    await node.close();
    node = await open();
    expect((await call('session.current', {}, { session: null }))?.user.id).toBe('wang.fang');
    await call('session.signOut', {}, ctx);
    expect(await call('session.current', {}, { session: null })).toBeNull();
  });

  it('refuses changes from a connection nobody signed in on', async () => {
    expect((await refusal('tickets.create', { form: FORM }, { session: null })).code).toBe('not_signed_in');
    expect((await refusal('tickets.comment', { id: 'x', text: '你好' }, { session: null })).code).toBe('not_signed_in');
  });
});

describe('tickets', () => {
  it('creates a ticket with the seat’s offline number in the site’s day', async () => {
    const agent = await signedIn('wang.fang');
    const seen: string[] = [];
    node.subscribe((event) => {
      seen.push(event);
    });
    const a = await call('tickets.create', { form: FORM }, agent);
    const b = await call('tickets.create', { form: { ...FORM, title: '空调不制冷' } }, agent);
    expect([a.ticket.no, b.ticket.no]).toEqual(['MX20261124-AB001', 'MX20261124-AB002']);
    expect(a.ticket.state).toBe('pending_acceptance');
    expect(a.actions).toContain('cancel');
    expect(seen).toEqual(['tickets.changed', 'node.status', 'tickets.changed', 'node.status']);
    expect((await call('node.status', {}, agent)).outboxPending).toBe(2);
  });

  it('writes nothing for an incomplete form and says which field', async () => {
    const agent = await signedIn('wang.fang');
    const err = await refusal('tickets.create', { form: { ...FORM, requester_phone: '' } }, agent);
    expect(err.code).toBe('bad_request');
    expect(err.field).toBe('requester_phone');
    expect(err.problems?.[0]?.field).toBe('requester_phone');
    expect(node.store.count()).toBe(0);
    expect((await call('tickets.create', { form: FORM }, agent)).ticket.no).toBe('MX20261124-AB001');
  });

  it('moves a ticket through the workflow and refuses what the actor may not do, writing nothing', async () => {
    const { ticket } = await call('tickets.create', { form: FORM }, await signedIn('wang.fang'));
    const dispatcher = await signedIn('zhang.wei');
    expect((await refusal('tickets.transition', { id: ticket.id, action: 'dispatch', input: {} }, dispatcher)).field).toBe('assignee');
    now += 5 * 60_000;
    const d = await call('tickets.transition', { id: ticket.id, action: 'dispatch', input: { assignee: 'lin.chief' } }, dispatcher);
    expect(d.ticket.state).toBe('dispatched');
    const before = { row: node.store.row(ticket.id), pending: node.store.pendingCount(), history: (await call('tickets.history', { id: ticket.id }, dispatcher)).length };
    const other = await signedIn('chen.tech');
    const err = await refusal('tickets.transition', { id: ticket.id, action: 'accept', input: {} }, other);
    expect(err).toMatchObject({ code: 'not_allowed', message: '只有该工单的处理人可以接单' });
    expect((await refusal('tickets.transition', { id: ticket.id, action: 'verify', input: {} }, dispatcher)).code).toBe('bad_request');
    expect(node.store.row(ticket.id)).toEqual(before.row);
    expect(node.store.pendingCount()).toBe(before.pending);
    expect((await call('tickets.history', { id: ticket.id }, dispatcher)).length).toBe(before.history);
    const tech = await signedIn('lin.chief');
    expect((await call('tickets.get', { id: ticket.id }, tech)).actions).toEqual(['accept', 'decline']);
    const accepted = await call('tickets.transition', { id: ticket.id, action: 'accept', input: {} }, tech);
    expect(accepted.ticket.milestones.accepted).toBe(new Date(now).toISOString());
    expect((await refusal('tickets.get', { id: 'missing' }, tech)).code).toBe('not_found');
  });

  it('shows who did what and when, and keeps it over a restart', async () => {
    const { ticket } = await call('tickets.create', { form: FORM }, await signedIn('wang.fang'));
    now += 10 * 60_000;
    await call('tickets.transition', { id: ticket.id, action: 'dispatch', input: { assignee: 'lin.chief' } }, await signedIn('zhang.wei'));
    now += 60_000;
    await call('tickets.comment', { id: ticket.id, text: '已电话联系报修人' }, await signedIn('lin.chief'));
    await node.close();
    node = await open();
    const history = await call('tickets.history', { id: ticket.id }, { session: null });
    expect(history.map((h) => [h.by, h.seat, h.at, h.summary])).toEqual([
      ['wang.fang', 'AB', '2026-11-24T01:00:00.000Z', '创建工单 MX20261124-AB001'],
      ['zhang.wei', 'AB', '2026-11-24T01:10:00.000Z', '派单（待受理 → 已派单），处理人：林师傅'],
      ['lin.chief', 'AB', '2026-11-24T01:11:00.000Z', '添加备注：已电话联系报修人'],
    ]);
    const dispatch = history[1]!.changes;
    expect(dispatch).toContainEqual({ path: 'state', before: 'pending_acceptance', after: 'dispatched' });
    expect(dispatch).toContainEqual({ path: 'assignee', before: null, after: 'lin.chief' });
    expect(dispatch.find((c) => c.path === 'audit[1]')?.after).toMatchObject({ action: 'dispatch', by: 'zhang.wei' });
    expect((await call('tickets.list', { text: '轴承' }, { session: null })).rows[0]?.assignee).toBe('lin.chief');
  });
});

describe('demo data', () => {
  it('seeds generated tickets in batches and lists them from rows', async () => {
    const progress: number[] = [];
    expect(await node.seedDemo({ count: 300, seed: 7, batchSize: 100, onProgress: (done) => progress.push(done) })).toBe(300);
    expect(progress).toEqual([100, 200, 300]);
    const page = await call('tickets.list', { limit: 20 }, { session: null });
    expect(page.total).toBe(300);
    expect(page.rows.map((r) => r.createdAt)).toEqual([...page.rows.map((r) => r.createdAt)].sort().reverse());
    const inProgress = await call('tickets.list', { states: ['in_progress'], limit: 500 }, { session: null });
    expect(inProgress.rows.every((r) => r.state === 'in_progress')).toBe(true);
    await node.close();
    node = await open();
    expect((await call('node.status', {}, { session: null })).ticketCount).toBe(300);
    expect(node.store.liveDocs()).toBe(0);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE, type FormField } from '../../../domain';
import { dispatch, type CallContext, type CallName, type CallOutput, type ContractErrorBody } from '../../contract/ipc';
import { createLocalNode, type LocalNode } from './local-node';

const NOW = Date.parse('2026-11-24T01:00:00.000Z');
const FORM = {
  title: '财务服务器无法登录', requester_name: '刘先生', requester_phone: '13800138000', area: '公共区域',
  location: '3号楼/2单元/1502', fault_type: '系统', server_ip: '10.0.8.21', description: '提示数据库连接失败',
  urgency: '2小时内', owner_cooperation: '否',
};
const SHIFT: FormField = {
  key: 'shift', label: '报修班次', type: 'select', required: true, disabled: false,
  options: [{ value: '白班', label: '白班' }, { value: '夜班', label: '夜班' }],
};
const v2Draft = () => ({
  name: DEMO_TEMPLATE.name,
  fields: [...DEMO_TEMPLATE.fields.map((f) => (f.key === 'remark' ? { ...f, disabled: true } : f)), SHIFT],
  groups: DEMO_TEMPLATE.groups,
});

let dataDir: string;
let node: LocalNode;
const open = () => createLocalNode({ dataDir, seat: 'AB', clock: () => NOW, rules: false });
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'closeloop-forms-'));
  node = await open();
});
afterEach(async () => {
  await node.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<K extends CallName>(name: K, input: unknown, ctx: CallContext): Promise<CallOutput<K>> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (!reply.ok) throw new Error(reply.error.message);
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

describe('the intake form, versioned on the seat', () => {
  it('serves the built-in template as version 1 until an admin publishes', async () => {
    const view = await call('forms.get', {}, { session: null });
    expect(view.current).toMatchObject({ version: 1, publishedBy: null });
    expect(view.versions.map((v) => v.version)).toEqual([1]);
    expect(view.template.fields.map((f) => f.key)).toContain('remark');
  });

  it('lets only admins publish; intake then asks for the new dropdown and tickets keep their version', async () => {
    const agent = await as('wang.fang');
    const admin = await as('admin');
    const before = await call('tickets.create', { form: FORM }, agent);
    expect(before.ticket.formVersion).toBe(1);

    expect((await refusal('forms.publish', { draft: v2Draft() }, agent)).code).toBe('not_allowed');
    const published = await call('forms.publish', { draft: v2Draft(), note: '停用备注' }, admin);
    expect(published.current).toMatchObject({ version: 2, publishedBy: 'admin', note: '停用备注' });
    expect(published.versions.map((v) => v.version)).toEqual([2, 1]);
    expect((await call('forms.get', {}, agent)).template.version).toBe(2);

    const incomplete = await refusal('tickets.create', { form: FORM }, agent);
    expect(incomplete.problems?.map((p) => p.message)).toEqual(['请填写报修班次']);
    const after = await call('tickets.create', { form: { ...FORM, shift: '夜班' } }, agent);
    expect(after.ticket.formVersion).toBe(2);
    expect((await call('tickets.get', { id: before.ticket.id }, agent)).ticket.formVersion).toBe(1);
    expect((await call('forms.get', { version: 1 }, agent)).template.fields.find((f) => f.key === 'remark')?.disabled).toBe(false);
  });

  it('keeps every version over a restart, and refuses a draft that deletes a field, saying which', async () => {
    const admin = await as('admin');
    await call('forms.publish', { draft: v2Draft() }, admin);
    await node.close();
    node = await open();
    expect((await call('forms.get', {}, admin)).versions.map((v) => v.version)).toEqual([2, 1]);
    const bad = await refusal('forms.publish', { draft: { ...v2Draft(), fields: DEMO_TEMPLATE.fields.filter((f) => f.key !== 'device') } }, admin);
    expect(bad.code).toBe('bad_request');
    expect(bad.message).toContain('字段“设备编号”（device）不能删除');
    expect((await refusal('forms.get', { version: 9 }, admin)).code).toBe('not_found');
  });
});

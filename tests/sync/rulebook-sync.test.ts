import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_TEMPLATE } from '../../domain';
import type { CallContext } from '../../electron/contract/ipc';
import { createLocalNode, type LocalNode } from '../../electron/main/node';
import { startServer, type ServerProcess } from './helpers/server-process';
import { waitFor } from './helpers/seat';
import { auditLines } from './helpers/admin';

/**
 * Site documents through the server. The rulebook: an admin's publication reaches every seat and is in force
 * there; one published offline goes when the seat reconnects; the server refuses a publication by
 * someone who is not an admin (and audits it), so no seat takes it. Form versions: published
 * online only, in one numbered line, and in use on every seat.
 */
const FAST = { backoff: { baseMs: 50, maxMs: 500 }, antiEntropyMs: 0 };

describe('the rulebook through the sync server', () => {
  let server: ServerProcess;
  const dirs: string[] = [];
  const nodes: LocalNode[] = [];
  const open = async (seat: string, user: string): Promise<{ node: LocalNode; ctx: CallContext }> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-rb-'));
    dirs.push(dataDir);
    const node = await createLocalNode({ dataDir, seat, log: () => undefined, sync: { server: server.url, client: FAST } });
    nodes.push(node);
    const ctx: CallContext = { session: null };
    await node.handlers['session.signIn']({ userId: user, password: 'demo1234' }, ctx);
    await waitFor(() => node.link!.status().online && node.link!.status().progress === null, 20_000, `${user} online`);
    return { node, ctx };
  };
  const renamed = (yaml: string, name: string) => yaml.replace(/^name: .*$/m, `name: ${name}`);

  beforeAll(async () => {
    server = await startServer({ demo: 10 });
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('carries an admin’s publication to the other seats, also one made offline, and keeps every version', async () => {
    const admin = await open('AA', 'admin');
    const dispatcher = await open('AB', 'zhang.wei');
    const changed: number[] = [];
    dispatcher.node.subscribe((event, payload) => {
      if (event === 'rulebook.changed') changed.push((payload as { version: number }).version);
    });
    const seed = admin.node.rulebook.current().yaml;

    await admin.node.handlers['rulebook.publish']({ yaml: renamed(seed, '夜班规则 v1'), note: '夜间轴承异响直派夜班长' }, admin.ctx);
    await waitFor(() => dispatcher.node.rulebook.current().name === '夜班规则 v1', 10_000, 'the publication on the other seat');
    expect(dispatcher.node.rulebook.current().id).toBe(admin.node.rulebook.current().id);
    expect(changed).toContain(1);
    const view = await dispatcher.node.handlers['rulebook.get']({}, dispatcher.ctx);
    expect(view.current).toMatchObject({ version: 1, publishedBy: 'admin', note: '夜间轴承异响直派夜班长' });

    // Offline: the admin publishes again; it goes when the seat is back.
    await admin.node.link!.syncClient!.stop();
    await admin.node.handlers['rulebook.publish']({ yaml: renamed(seed, '夜班规则 v2') }, admin.ctx);
    expect(admin.node.rulebook.unsent()).toHaveLength(1);
    admin.node.link!.syncClient!.start();
    await waitFor(() => dispatcher.node.rulebook.current().name === '夜班规则 v2', 15_000, 'the offline publication after reconnecting');
    await waitFor(() => admin.node.rulebook.unsent().length === 0, 5_000, 'the server confirmed it');
    expect((await dispatcher.node.handlers['rulebook.get']({}, dispatcher.ctx)).versions.map((v) => v.version)).toEqual([2, 1, 0]);

    // A seat that joins later gets every version.
    const late = await open('AC', 'zhou.sup');
    await waitFor(() => late.node.rulebook.current().name === '夜班规则 v2', 10_000, 'the versions on a new seat');
    expect(late.node.rulebook.ids()).toEqual(dispatcher.node.rulebook.ids());
  });

  it('refuses a publication from a seat whose account is not an admin, audits it, and no seat takes it', async () => {
    const sup = await open('AD', 'zhou.sup');
    const other = await open('AE', 'li.na');
    const before = other.node.rulebook.current().id;
    // Past the console's own check (the handler only lets admins publish): straight into the rulebook.
    await sup.node.rulebook.publish(renamed(sup.node.rulebook.current().yaml, '越权规则'), DEMO_PEOPLE.find((p) => p.id === 'zhou.sup')!, Date.now());
    await waitFor(() => sup.node.rulebook.unsent().length === 0, 10_000, 'the refusal');
    await new Promise((r) => setTimeout(r, 500));
    expect(other.node.rulebook.current().id).toBe(before);
    const audit = await auditLines(server.data);
    expect(audit.some((l) => l.kind === 'refuse' && l.user === 'zhou.sup' && /only an admin publishes the rulebook/.test(l.reason ?? ''))).toBe(true);
    expect(audit.some((l) => l.kind === 'rulebook_published' && l.user === 'admin')).toBe(true);
  });

  it('carries a new form version to every seat, refuses one published offline, and new tickets use it', async () => {
    const admin = await open('AF', 'admin');
    const agent = await open('AG', 'wang.fang');
    const draft = { name: DEMO_TEMPLATE.name, fields: DEMO_TEMPLATE.fields.map((f) => (f.key === 'remark' ? { ...f, disabled: true } : f)), groups: DEMO_TEMPLATE.groups };
    const published = await admin.node.handlers['forms.publish']({ draft, note: '停用备注' }, admin.ctx);
    expect(published.current.version).toBe(2);
    await waitFor(async () => (await agent.node.handlers['forms.get']({}, agent.ctx)).current.version === 2, 10_000, 'the form version on the other seat');
    expect((await agent.node.handlers['site.info']({}, agent.ctx)).template.version).toBe(2);
    const form = { title: '车间照明不亮', requester_name: '赵六', requester_phone: '13700001111', area: '公共区域', location: '4号楼/1单元/101', device: 'LGT-4F', fault_type: '硬件', description: '整排灯管不亮', urgency: '24小时内', owner_cooperation: '否', faulty_part: '灯管' };
    const created = await agent.node.handlers['tickets.create']({ form }, agent.ctx);
    expect(created.ticket.formVersion).toBe(2);

    await admin.node.link!.syncClient!.stop();
    const offline = await admin.node.handlers['forms.publish']({ draft: { ...draft, name: `${draft.name}（离线）` } }, admin.ctx).catch((e: unknown) => e);
    expect(offline).toMatchObject({ body: { code: 'unavailable' } });
    expect((await admin.node.handlers['forms.get']({}, admin.ctx)).current.version).toBe(2);
    admin.node.link!.syncClient!.start();
  });
});

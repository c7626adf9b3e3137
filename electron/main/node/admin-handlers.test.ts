import { describe, expect, it } from 'vitest';
import { ContractError, type CallContext, type Session } from '../../contract/ipc';
import { adminHandlers, NEEDS_SERVER, type AdminLink } from './admin-handlers';

const admin: Session = { user: { id: 'admin', name: '系统管理员', role: 'admin', teams: [], areas: [] }, seat: 'AA' };
const sup: Session = { user: { id: 'zhou.sup', name: '周主管', role: 'supervisor', teams: [], areas: [] }, seat: 'AA' };

function link(online: boolean, user: string | null, answer: (m: Record<string, unknown>) => Promise<Record<string, unknown>>): AdminLink & { sent: Record<string, unknown>[] } {
  const sent: Record<string, unknown>[] = [];
  return { sent, status: () => ({ online, user }), syncClient: { request: (m) => (sent.push(m), answer(m)) } };
}
const run = (l: AdminLink | null, session: Session | null, cmd: 'list-users' | 'revoke-seat' = 'list-users', args: Record<string, string> = {}) => {
  const h = adminHandlers({ link: l, requireSession: (ctx: CallContext) => {
    if (!ctx.session) throw new ContractError({ code: 'not_signed_in', message: '请先登录' });
    return ctx.session;
  } });
  return h['admin.run']({ cmd, args }, { session });
};
const body = (p: Promise<unknown>) => p.then(() => null, (e: ContractError) => e.body);

describe('admin.run on the node', () => {
  it('passes the command to the server and answers with its result', async () => {
    const l = link(true, 'admin', async () => ({ t: 'admin', result: [{ id: 'admin' }] }));
    await expect(run(l, admin, 'revoke-seat', { id: 'BC' })).resolves.toEqual([{ id: 'admin' }]);
    expect(l.sent).toEqual([{ t: 'admin', cmd: 'revoke-seat', args: { id: 'BC' } }]);
  });

  it('needs an admin signed in', async () => {
    const l = link(true, 'zhou.sup', async () => ({}));
    expect(await body(run(l, sup))).toMatchObject({ code: 'not_allowed' });
    expect(await body(run(l, null))).toMatchObject({ code: 'not_signed_in' });
    expect(l.sent).toHaveLength(0);
  });

  it('needs the seat online with a sync server, in Chinese', async () => {
    expect(await body(run(null, admin))).toEqual({ code: 'unavailable', message: NEEDS_SERVER });
    expect(await body(run(link(false, 'admin', async () => ({})), admin))).toEqual({ code: 'unavailable', message: NEEDS_SERVER });
  });

  it('needs the link to sync as the signed-in admin', async () => {
    expect(await body(run(link(true, 'wang.fang', async () => ({})), admin))).toMatchObject({ code: 'not_allowed', message: expect.stringContaining('wang.fang') });
  });

  it('turns the server’s refusals and a lost connection into errors for people', async () => {
    const refused = link(true, 'admin', async () => Promise.reject(Object.assign(new Error('admin command refused'), { code: 'not_allowed' })));
    expect(await body(run(refused, admin))).toMatchObject({ code: 'not_allowed', message: expect.stringMatching(/^同步服务器拒绝了管理操作/) });
    const bad = link(true, 'admin', async () => Promise.reject(Object.assign(new Error('no user "x"'), { code: 'bad_request' })));
    expect(await body(run(bad, admin))).toMatchObject({ code: 'bad_request', message: '管理操作有误：no user "x"' });
    const lost = link(true, 'admin', async () => Promise.reject(new Error('connection lost')));
    expect(await body(run(lost, admin))).toMatchObject({ code: 'unavailable', message: `${NEEDS_SERVER}（connection lost）` });
  });
});

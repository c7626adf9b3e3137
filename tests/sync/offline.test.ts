import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../domain';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, sameState, waitFor } from './helpers/seat';

describe('a seat offline for a long stretch', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  beforeAll(async () => {
    server = await startServer({ demo: 60 });
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('makes hundreds of edits offline, reconnects and converges with a seat that kept working', async () => {
    const agent = await TestSeat.signIn(server.url, 'wang.fang');
    const dispatcher = await TestSeat.signIn(server.url, 'zhang.wei');
    seats.push(agent, dispatcher);
    agent.start();
    dispatcher.start();
    await Promise.all([agent.online(), dispatcher.online()]);
    await agent.client.stop(); // the network is gone for the agent

    const techs = DEMO_PEOPLE.filter((p) => p.role === 'technician').map((p) => p.id);
    const created: string[] = [];
    for (let i = 0; i < 40; i++) created.push(agent.create()); // offline numbers: MX…-<seat code><seq>
    const existing = agent.replica.ids().filter((id) => !created.includes(id));
    let edits = 40;
    for (let i = 0; edits < 340; i++) {
      const id = [...created, ...existing][i % (created.length + existing.length)]!;
      agent.comment(id, `offline note ${i}`);
      edits++;
    }
    // Meanwhile the dispatcher dispatches what is pending, online.
    for (const id of dispatcher.replica.ids()) {
      const t = dispatcher.replica.ticket(id)!;
      if (t.state === 'pending_acceptance' && !t.awaitingInfo) dispatcher.act(id, 'dispatch', { assignee: techs[id.charCodeAt(0) % techs.length]! });
    }
    await waitFor(() => dispatcher.client.status.pending === 0, 20_000, 'the dispatcher’s outbox');
    expect(agent.replica.pendingCount()).toBeGreaterThan(40);

    agent.client.start();
    await waitFor(() => agent.client.status.online && agent.replica.pendingCount() === 0, 60_000, 'the agent’s outbox after reconnecting');
    await waitFor(() => sameState([agent, dispatcher]), 30_000, 'both seats converged');
    for (const id of created) {
      expect(dispatcher.replica.ticket(id)?.no).toMatch(new RegExp(`-${agent.code}\\d{3}$`));
      expect(dispatcher.replica.ticket(id)?.comments.length).toBeGreaterThan(0);
    }
    const reports = await agent.client.antiEntropy();
    expect(reports[0]!.buckets).toBe(0);

    // That reconnect's push of 40 new tickets started the server's judge worker; the next long
    // stretch has half of its new tickets judged there (sync-server/engine/judge-pool.ts).
    await waitFor(() => server.stderr().includes('judge worker ready'), 30_000, 'the server’s judge worker');
    await agent.client.stop();
    const more: string[] = [];
    for (let i = 0; i < 40; i++) more.push(agent.create());
    for (const id of more.slice(0, 10)) agent.comment(id, 'second stretch');
    agent.client.start();
    await waitFor(() => agent.client.status.online && agent.replica.pendingCount() === 0, 60_000, 'the agent’s outbox after the second stretch');
    await waitFor(() => sameState([agent, dispatcher]), 30_000, 'both seats converged again');
    for (const id of more) expect(dispatcher.replica.ticket(id)?.no).toMatch(new RegExp(`-${agent.code}\\d{3}$`));
    expect(server.stderr()).not.toContain('judge worker unavailable');
  });
});

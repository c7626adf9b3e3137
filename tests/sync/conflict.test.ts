import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, sameState, waitFor } from './helpers/seat';

describe('two seats assign the same ticket while offline', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  beforeAll(async () => {
    server = await startServer({ demo: 0 });
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('merges deterministically and shows the conflict to a supervisor until someone settles it', async () => {
    const dispatcher = await TestSeat.signIn(server.url, 'zhang.wei');
    const supervisor = await TestSeat.signIn(server.url, 'zhou.sup');
    const agent = await TestSeat.signIn(server.url, 'wang.fang');
    seats.push(dispatcher, supervisor, agent);
    for (const s of seats) s.start();
    await Promise.all(seats.map((s) => s.online()));
    await agent.lease(2);
    const id = agent.create();
    await waitFor(() => dispatcher.replica.ids().includes(id) && supervisor.replica.ids().includes(id), 10_000, 'the ticket everywhere');
    dispatcher.act(id, 'dispatch', { assignee: 'lin.chief' });
    await waitFor(() => supervisor.replica.ticket(id)?.state === 'dispatched', 10_000, 'the dispatch');

    await dispatcher.client.stop();
    await supervisor.client.stop();
    dispatcher.act(id, 'reassign', { assignee: 'chen.tech' });
    supervisor.act(id, 'reassign', { assignee: 'zhao.tech' });
    dispatcher.client.start();
    supervisor.client.start();
    await waitFor(() => sameState(seats) && seats.every((s) => s.replica.pendingCount() === 0), 20_000, 'the seats converged');

    const winner = agent.replica.ticket(id)!.assignee;
    expect(['chen.tech', 'zhao.tech']).toContain(winner);
    for (const s of seats) {
      expect(s.replica.ticket(id)!.assignee).toBe(winner);
      expect(s.replica.row(id)!.conflicts.assignee).toEqual(['chen.tech', 'zhao.tech']);
    }
    expect(agent.replica.ticket(id)!.audit.filter((e) => e.action === 'reassign')).toHaveLength(2);

    // The supervisor settles it on the value that won (the server allows confirming a conflicted assignee).
    supervisor.act(id, 'reassign', { assignee: winner! }, { force: true });
    await waitFor(() => seats.every((s) => s.replica.row(id)?.conflicts.assignee === undefined), 10_000, 'the conflict settled everywhere');
    expect(sameState(seats)).toBe(true);
  });
});

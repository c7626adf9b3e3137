import * as A from '@automerge/automerge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, sameState, waitFor } from './helpers/seat';

describe('kill -9 of the server in the middle of a push', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  beforeAll(async () => {
    server = await startServer({ demo: 10 });
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('loses nothing the server acknowledged', { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    const lap = (s: string) => process.env.SYNC_TEST_DEBUG && console.log(s, Date.now() - t0);
    const agent = await TestSeat.signIn(server.url, 'li.na', 'li-na-pc', { maxTicketsPerPush: 50, window: 2 });
    seats.push(agent);
    agent.start();
    await agent.online();
    if (process.env.SYNC_TEST_DEBUG) agent.client.on('refused', (r) => console.log('refused', r.length, r[0]));
    await agent.client.stop();
    const ids: string[] = [];
    for (let i = 0; i < 1500; i++) ids.push(agent.create());
    // What the seat believes the server holds durably: tickets it has acknowledged, at their heads.
    const acked = new Map<string, string[]>();
    const acknowledge = agent.replica.acknowledge.bind(agent.replica);
    agent.replica.acknowledge = async (id, heads) => {
      acked.set(id, [...heads]);
      return acknowledge(id, heads);
    };
    lap('created');
    agent.client.start();
    await waitFor(() => acked.size >= 200, 60_000, 'some acknowledgements');
    lap('acked 200');
    await server.kill9();
    const ackedAtKill = new Map(acked);
    expect(ackedAtKill.size).toBeLessThan(ids.length); // the kill hit the middle of the push
    await server.restart();
    lap('restarted');

    // A fresh seat bootstraps from the restarted server: every acknowledged change is there.
    const auditor = await TestSeat.signIn(server.url, 'zhou.sup');
    seats.push(auditor);
    auditor.start();
    await auditor.online(60_000);
    for (const [id, heads] of ackedAtKill) {
      const known = await auditor.replica.changesSince(id, []);
      expect(known, `ticket ${id} was acknowledged but is missing`).not.toBeNull();
      const have = new Set(known!.map((c) => A.decodeChange(c).hash));
      for (const h of heads) expect(have.has(h)).toBe(true);
    }
    lap('auditor checked');
    setTimeout(() => lap(`agent ${JSON.stringify(agent.client.status)} pending=${agent.replica.pendingCount()} ${JSON.stringify(Object.fromEntries(Object.entries(agent.client as object).filter(([k]) => ["inflight","inflightTickets","pushing","again","resets","repairs"].includes(k)).map(([k,v]) => [k, v instanceof Map || v instanceof Set ? v.size : v])))}`), 5000);
    // The seat reconnects by itself and the rest of its outbox arrives.
    await waitFor(() => agent.client.status.online && agent.replica.pendingCount() === 0, 60_000, 'the agent’s outbox drained');
    await waitFor(() => sameState([agent, auditor]), 30_000, 'seats converged');
    expect(auditor.replica.ids().length).toBe(10 + ids.length);
  });
});

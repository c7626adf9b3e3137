import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteDocRecord } from '../../sync-server/storage/site-doc-types';
import { usePostgres } from '../../sync-server/testing/use-postgres';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, sameState, waitFor } from './helpers/seat';

/** Several server instances on one PostgreSQL: a change pushed to one reaches seats on the other. */
describe('the PostgreSQL path', () => {
  const pg = usePostgres();
  const servers: ServerProcess[] = [];
  const seats: TestSeat[] = [];
  beforeAll(async () => {
    const url = await pg.database(`sync_${process.pid}`);
    servers.push(await startServer({ demo: 30, args: ['--storage', 'postgres', '--pg', url, '--instance', 'one'] }));
    servers.push(await startServer({ args: ['--storage', 'postgres', '--pg', url, '--instance', 'two'] }));
  }, 180_000);
  afterAll(async () => {
    for (const s of seats) await s.stop();
    for (const s of servers) await s.stop();
  });

  it('fans a change pushed to instance one out to a seat on instance two', async () => {
    const [one, two] = servers;
    const agent = await TestSeat.signIn(one!.url, 'wang.fang');
    const dispatcher = await TestSeat.signIn(two!.url, 'zhang.wei');
    seats.push(agent, dispatcher);
    agent.start();
    dispatcher.start();
    await Promise.all([agent.online(), dispatcher.online()]);
    expect(dispatcher.replica.ids()).toHaveLength(30);
    await agent.lease(3);
    const id = agent.create();
    await waitFor(() => dispatcher.replica.ids().includes(id), 10_000, 'the ticket on instance two’s seat');
    dispatcher.act(id, 'dispatch', { assignee: 'liu.tech' });
    await waitFor(() => agent.replica.ticket(id)?.state === 'dispatched', 10_000, 'the dispatch back on instance one’s seat');
    await waitFor(() => sameState([agent, dispatcher]), 10_000, 'converged');
    expect((await agent.client.antiEntropy())[0]!.buckets).toBe(0);
  });

  it('keeps ticket numbers unique across instances (leases come from one counter)', async () => {
    const [a, b] = seats;
    const blocks = await Promise.all([a!.client.lease('mx-plant', '20260301', 50), b!.client.lease('mx-plant', '20260301', 50)]);
    const [x, y] = blocks.sort((p, q) => p.from - q.from);
    expect(x!.to).toBeLessThan(y!.from);
  });

  it('sends a rulebook an admin published on instance one to the seats on instance two at once', async () => {
    const [one] = servers;
    const [, dispatcher] = seats;
    const heard: SiteDocRecord[] = [];
    dispatcher!.client.on('siteDocs', ({ docs }) => heard.push(...docs));
    const admin = await TestSeat.signIn(one!.url, 'admin');
    seats.push(admin);
    admin.start();
    await admin.online();
    const body = readFileSync(new URL('../../rules/packs/seed.yaml', import.meta.url), 'utf8');
    await admin.client.publishDoc({ site: 'mx-plant', kind: 'rulebook', id: 'pg-fanout-v1', body, meta: { name: '跨实例发布' }, at: new Date().toISOString() });
    await waitFor(() => heard.some((d) => d.id === 'pg-fanout-v1'), 10_000, 'the rulebook on instance two’s seat, without a reconnect');
    expect(heard.find((d) => d.id === 'pg-fanout-v1')).toMatchObject({ kind: 'rulebook', by: 'admin', body });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/server-process';
import { TestSeat, sameState, waitFor } from './helpers/seat';

describe('two seats and the sync server', () => {
  let server: ServerProcess;
  const seats: TestSeat[] = [];
  beforeAll(async () => {
    server = await startServer({ demo: 120 });
  });
  afterAll(async () => {
    for (const s of seats) await s.stop();
    await server?.stop();
  });

  it('bootstraps a new seat with snapshots, rows and progress', async () => {
    const a = await TestSeat.signIn(server.url, 'wang.fang');
    seats.push(a);
    const progress: number[] = [];
    a.client.on('status', (s) => s.progress && progress.push(s.progress.done));
    a.start();
    await a.online();
    expect(a.replica.ids()).toHaveLength(120);
    expect(progress.at(-1)).toBe(120);
    const anyId = a.replica.ids()[0]!;
    expect(a.replica.row(anyId)?.site).toBe('mx-plant');
    expect(a.client.status.seatCode).toMatch(/^[A-Z]{2}$/);
  });

  it('a ticket created on one seat appears on the other, and an edit comes back', async () => {
    const [a] = seats;
    const b = await TestSeat.signIn(server.url, 'zhang.wei');
    seats.push(b);
    b.start();
    await b.online();
    await a!.lease(5);
    const id = a!.create();
    await waitFor(() => b.replica.ids().includes(id), 10_000, 'the new ticket on seat B');
    expect(b.replica.ticket(id)?.no).toMatch(/^MX\d{8}-\d{4}$/);
    b.act(id, 'dispatch', { assignee: 'liu.tech' });
    await waitFor(() => a!.replica.ticket(id)?.state === 'dispatched', 10_000, 'the dispatch on seat A');
    await waitFor(() => a!.client.status.pending === 0 && b.client.status.pending === 0, 10_000, 'outboxes empty');
    expect(sameState([a!, b])).toBe(true);
  });

  it('agrees with the server’s digest after anti-entropy', async () => {
    const [a, b] = seats;
    const reports = await a!.client.antiEntropy();
    expect(reports[0]!.buckets).toBe(0);
    await b!.client.antiEntropy();
    expect(sameState([a!, b!])).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../domain';
import { usePostgres } from '../../sync-server/testing/use-postgres';
import { TestSeat, waitFor } from '../sync/helpers/seat';
import { startHttpReceiver, type HttpReceiver } from './helpers/receivers';
import { addOutbox, startWithConnectors, type ConnectorServer } from './helpers/world';

/** Two server instances on one PostgreSQL, both running connectors: each delivery is sent by one of them, once. */
const pg = usePostgres();
const servers: ConnectorServer[] = [];
const seats: TestSeat[] = [];
let hook: HttpReceiver, sms: HttpReceiver;

beforeAll(async () => {
  hook = await startHttpReceiver({ honoursKey: true, behave: () => ({ delayMs: 20 }) });
  sms = await startHttpReceiver({ honoursKey: false, behave: () => ({ delayMs: 20 }) });
  const url = await pg.database(`connectors_${process.pid}`);
  const yaml = `
version: 1
workers: { concurrency: 4, poll: 50ms }
recipients: { lin.chief: { phone: "13800000001" } }
channels: { sms: sms-gw }
connectors:
  sms-gw: { type: sms_http, url: "${sms.url}/send" }
  erp: { type: webhook, url: "${hook.url}/erp" }
`;
  servers.push(await startWithConnectors(yaml, { demo: 0, args: ['--storage', 'postgres', '--pg', url, '--instance', 'one'] }));
  servers.push(await startWithConnectors(yaml, { demo: 0, args: ['--storage', 'postgres', '--pg', url, '--instance', 'two'] }));
}, 180_000);
afterAll(async () => {
  for (const s of seats) await s.stop();
  for (const s of servers) await s.stop();
  await hook?.close();
  await sms?.close();
});

describe('connectors on PostgreSQL', () => {
  it('delivers each entry once although both instances take it in, and a seat on the other instance sees the status', async () => {
    const [one, two] = servers as [ConnectorServer, ConnectorServer];
    const writer = (await TestSeat.signIn(one.server.url, 'zhang.wei')).start();
    const reader = (await TestSeat.signIn(two.server.url, 'wang.fang')).start();
    seats.push(writer, reader);
    await Promise.all([writer.online(), reader.online()]);
    await writer.lease(20);
    const ids = Array.from({ length: 10 }, () => writer.create());
    for (const id of ids) addOutbox(writer, id, [{ key: `r@v1/created/x/push/erp`, channel: 'push', to: 'erp' }, { key: `r@v1/created/x/notify/sms/lin.chief`, channel: 'sms', to: 'lin.chief' }]);
    await waitFor(() => hook.applied.length === 10 && sms.applied.length === 10, 30_000, 'twenty deliveries');
    await waitFor(() => ids.every((id) => Object.values((reader.replica.ticket(id) as Ticket | null)?.outbox ?? {}).filter((e) => e.status === 'sent').length === 2), 30_000, 'statuses on the other instance’s seat');
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.requests).toHaveLength(10);
    expect([...sms.perKey.values()].every((n) => n === 1)).toBe(true);
    expect(sms.requests).toHaveLength(10);
  }, 60_000);
});

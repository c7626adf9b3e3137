/**
 * The child of kill9.test.ts: opens the store in DATA_DIR and writes tickets until it is killed,
 * printing a line only after each write is acknowledged (durable):
 *   ACK <n> <id>        ticket n created (title 断电测试 #n)
 *   UPD <n> <id> <who>  an earlier ticket dispatched to <who>
 * A fresh store first gets 20 tickets in one import batch; a second run goes on from the count.
 */
import { randomUUID } from 'node:crypto';
import { openPouchTicketStore } from '../../electron/main/store';
import { change, dispatched, makeTicket } from '../../electron/main/store/test-tickets';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill9-writer.ts DATA_DIR');

const ticket = (n: number) => ({ ...makeTicket(n, { title: `断电测试 #${n}` }), id: randomUUID() });
const store = await openPouchTicketStore({ dataDir, seat: 'KL', checkpointEvery: 25 });
if (store.count() === 0) {
  const batch = Array.from({ length: 20 }, (_, i) => ticket(i + 1));
  await store.importTickets(batch, change('import'));
  batch.forEach((t, i) => console.log(`ACK ${i + 1} ${t.id}`));
}
const early = store.query({ sort: 'createdAt_asc', limit: 20 }).rows.map((r) => r.id);
const techs = ['lin.chief', 'chen.tech', 'zhao.tech'];
for (let n = store.count() + 1; ; n++) {
  const t = ticket(n);
  await store.create(t, change('create'));
  console.log(`ACK ${n} ${t.id}`);
  const target = early[n % early.length]!;
  if (n % 3 === 0 && store.row(target)?.state === 'pending_acceptance') {
    const who = techs[n % techs.length]!;
    await store.update(target, (cur) => ({ ticket: dispatched(cur, who), ...change('dispatch', 'zhang.wei') }));
    console.log(`UPD ${n} ${target} ${who}`);
  }
}

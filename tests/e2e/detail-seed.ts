import * as Automerge from '@automerge/automerge';
import { DEMO_TEMPLATE, applyTransition, createTicket, type FormAnswers, type Ticket } from '../../domain';
import { openPouchTicketStore } from '../../electron/main/store';
import { changeTicketDoc, toTicket } from '../../electron/main/store/ticket-doc';

/**
 * Tickets written straight into a seat's data folder before its host starts (the host's own
 * `--demo` seeds only an empty store): earlier tickets of a caller and a device for intake's and
 * the detail's related lists, and a ticket two seats reassigned concurrently while offline.
 */
export const SEAT = 'AA';
const DAY = 86_400_000;
const HOUR = 3_600_000;

export const BASE: FormAnswers = {
  title: '财务服务器无法登录', requester_name: '刘先生', requester_phone: '13800138000', area: '公共区域',
  location: '3号楼/2单元/1502', device: 'SRV-01', fault_type: '系统', server_ip: '10.0.8.21',
  description: '登录财务系统时提示数据库连接失败。', urgency: '2小时内', owner_cooperation: '否',
};

let serial = 0;
export function ticketAt(at: number, answers: Partial<FormAnswers>): Ticket {
  serial++;
  const r = createTicket({ ...BASE, ...answers } as FormAnswers, {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    no: `MX${new Date(at + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '')}-${String(9000 + serial)}`,
    site: 'mx-plant',
    now: new Date(at).toISOString(),
    actor: { user: 'wang.fang', kind: 'agent' },
    template: DEMO_TEMPLATE,
  });
  if (!r.ok) throw new Error(r.message);
  return r.ticket;
}

const change = (by: string, seat: string, action: string, at: number) => ({ message: { by, seat, action }, at });

/** Writes the tickets (and a conflicted one, if asked), then closes the store so a host can open it. */
export async function seedSeat(dataDir: string, tickets: readonly Ticket[], conflicted?: Ticket): Promise<void> {
  const store = await openPouchTicketStore({ dataDir, seat: SEAT });
  try {
    for (const t of tickets) await store.create(t, change('wang.fang', SEAT, 'create', Date.parse(t.createdAt)));
    if (!conflicted) return;
    const created = Date.parse(conflicted.createdAt);
    await store.create(conflicted, change('wang.fang', SEAT, 'create', created));
    // Dispatched 3 hours after creation: the 创建→派单 breakpoint (2 h) is late.
    await store.update(conflicted.id, (cur) => {
      const next = structuredClone(cur);
      applyTransition(next, 'dispatch', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee: 'lin.chief' }, new Date(created + 3 * HOUR).toISOString());
      return { ticket: next, ...change('zhang.wei', SEAT, 'dispatch', created + 3 * HOUR) };
    });
    const before = (await store.withDoc(conflicted.id, (doc) => Automerge.save(doc)))!;
    // This seat reassigns to 陈师傅 …
    await store.update(conflicted.id, (cur) => {
      const next = structuredClone(cur);
      applyTransition(next, 'reassign', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee: 'chen.tech' }, new Date(created + 4 * HOUR).toISOString());
      return { ticket: next, ...change('zhang.wei', SEAT, 'reassign', created + 4 * HOUR) };
    });
    // … while another seat, offline, reassigned the same ticket to 赵师傅.
    const other = Automerge.load<Record<string, unknown>>(before, { actor: 'bb'.repeat(16) });
    const cur = toTicket(other);
    const next = structuredClone(cur);
    applyTransition(next, 'reassign', { user: 'zhou.sup', kind: 'supervisor' }, { assignee: 'zhao.tech' }, new Date(created + 4 * HOUR + 60_000).toISOString());
    const changed = changeTicketDoc(other, cur, next, change('zhou.sup', 'BB', 'reassign', created + 4 * HOUR + 60_000));
    await store.mergeDoc(Automerge.save(changed));
    const row = store.row(conflicted.id);
    if (!row?.conflicts?.assignee) throw new Error(`the seeded ticket has no assignee conflict: ${JSON.stringify(row?.conflicts)}`);
  } finally {
    await store.close();
  }
}

export { DAY, HOUR };

import { DEMO_TEMPLATE, applyTransition, createTicket, type FormAnswers, type Ticket } from '../../../domain';
import type { ChangeInfo } from './ticket-store';

/** Tickets built from literals for the store's tests (test support, not used by the app). */
export const T0 = Date.parse('2026-11-24T01:00:00.000Z');

export const ANSWERS: FormAnswers = {
  title: '主轴轴承异响',
  requester_name: '张三',
  requester_phone: '13812345678',
  area: '公共区域',
  location: '3号楼/2单元/1502',
  device: 'CNC-07',
  fault_type: '硬件',
  description: '设备运行时有明显的金属摩擦声',
  urgency: '立即处理',
  owner_cooperation: '否',
  faulty_part: '主轴轴承',
};

let serial = 0;

/** A fresh ticket: `n` orders it (createdAt = T0 + n minutes) and names it (id, number). */
export function makeTicket(n: number, answers: Partial<FormAnswers> = {}): Ticket {
  serial++;
  const hex = (n * 7919 + serial).toString(16).padStart(12, '0').slice(-12);
  const res = createTicket(
    { ...ANSWERS, ...answers } as FormAnswers,
    {
      id: `00000000-0000-4000-8000-${hex}`,
      no: `MX20261124-${String(n).padStart(4, '0')}`,
      site: 'mx-plant',
      now: new Date(T0 + n * 60_000).toISOString(),
      actor: { user: 'wang.fang', kind: 'agent' },
      template: DEMO_TEMPLATE,
    },
  );
  if (!res.ok) throw new Error(res.message);
  return res.ticket;
}

export function dispatched(t: Ticket, assignee: string, minutes = 5): Ticket {
  const next = structuredClone(t);
  applyTransition(next, 'dispatch', { user: 'zhang.wei', kind: 'dispatcher' }, { assignee }, new Date(Date.parse(t.createdAt) + minutes * 60_000).toISOString());
  return next;
}

export function change(action: string, by = 'wang.fang', at = T0): ChangeInfo {
  return { message: { by, seat: 'AB', action }, at };
}

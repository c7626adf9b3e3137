import { createTicket } from '../create';
import { DEMO_TEMPLATE } from '../demo-template';
import type { FormAnswers, Ticket, TicketState } from '../ticket';

/** Builds tickets from literals for tests across the repo. */
export const NOW = '2026-02-18T14:10:00.000Z';

export const COMPLETE_SYSTEM_FORM: FormAnswers = {
  title: 'ERP系统登录报错',
  requester_name: '张三',
  requester_phone: '13800138000',
  area: '智能设备',
  location: '2号楼/1单元/301',
  device: 'SRV-ERP',
  fault_type: '系统',
  description: '登录时提示数据库连接超时',
  urgency: '立即处理',
  owner_cooperation: '否',
  server_ip: '192.168.10.20',
};

export function newTicket(overrides: Partial<Ticket> = {}, answers: FormAnswers = COMPLETE_SYSTEM_FORM): Ticket {
  const r = createTicket(answers, {
    id: '2f1c7a8e-1b2c-4d3e-8f90-123456789abc',
    no: 'MX20260218-0872',
    site: 'mx-plant',
    now: NOW,
    actor: { user: 'wang.fang', kind: 'agent' },
    template: DEMO_TEMPLATE,
  });
  if (!r.ok) throw new Error(r.message);
  return { ...r.ticket, ...overrides };
}

export function ticketIn(state: TicketState, overrides: Partial<Ticket> = {}): Ticket {
  return newTicket({ state, ...overrides });
}

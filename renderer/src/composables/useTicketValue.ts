import { MILESTONES, TICKET_STATES } from '../../../domain';
import { useSessionStore } from '../stores/session';
import type { MessageKey } from '../i18n/zh-CN';
import type { FormTemplate } from '../types';
import { useFormat } from './useFormat';
import { useI18n } from './useI18n';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isState = (v: unknown): v is (typeof TICKET_STATES)[number] => typeof v === 'string' && (TICKET_STATES as readonly string[]).includes(v);
const isMilestone = (v: string): v is (typeof MILESTONES)[number] => (MILESTONES as readonly string[]).includes(v);

/** Top-level ticket fields with a label in the console's words. */
const FIELD_KEYS: Record<string, MessageKey> = {
  state: 'list.col.state',
  assignee: 'ticket.assignee',
  priority: 'ticket.priority',
  urgency: 'ticket.urgency',
  pool: 'ticket.pool',
  tags: 'ticket.tags',
  title: 'list.col.title',
  description: 'ticket.description',
  location: 'ticket.location',
  device: 'ticket.device',
  category: 'ticket.category',
  awaitingInfo: 'ticket.awaitingInfo',
  comments: 'detail.comments',
  'requester.name': 'ticket.requester',
  'requester.phone': 'ticket.phone',
};

/**
 * A ticket's fields and values for people: a path of the ticket document ("assignee",
 * "form.server_ip", "milestones.accepted", "comments[2]") as a label, and a value as text
 * (states and people by name, instants in the site's zone, comments by their text).
 */
export function useTicketValue(template: () => FormTemplate | null) {
  const session = useSessionStore();
  const { t, stateLabel, milestoneLabel, fieldLabel } = useI18n();
  const { time } = useFormat();

  function label(path: string): string {
    const top = path.replace(/\[\d+\].*$/, '');
    const key = FIELD_KEYS[top];
    if (key) return t(key);
    const m = /^milestones\.(\w+)$/.exec(path);
    if (m?.[1] && isMilestone(m[1])) return milestoneLabel(m[1]);
    const f = /^form\.(\w+)/.exec(path);
    if (f?.[1]) {
      const tpl = template();
      const field = tpl ? [...tpl.fields, ...tpl.groups.flatMap((g) => g.fields)].find((x) => x.key === f[1]) : undefined;
      return field ? fieldLabel(field) : f[1];
    }
    return path;
  }

  function value(path: string, v: unknown): string {
    if (v === null || v === undefined || v === '') return t('ticket.none');
    const top = path.replace(/[.[].*$/, '');
    if (top === 'state' && isState(v)) return stateLabel(v);
    if (top === 'assignee' && typeof v === 'string') return session.personName(v);
    if (typeof v === 'boolean') return v ? '✓' : '✗';
    if (typeof v === 'string' && ISO_INSTANT.test(v)) return time(v, true);
    if (Array.isArray(v)) return v.map((x) => value(path, x)).join('、') || t('ticket.none');
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['text', 'reason', 'note']) if (typeof o[k] === 'string') return value(path, o[k]);
    }
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 80)}…` : s;
  }

  return { label, value };
}

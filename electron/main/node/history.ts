import * as Automerge from '@automerge/automerge';
import { STATE_LABELS, personName, transitionDef, type SitePerson, type TicketState } from '../../../domain';
import type { HistoryEntry } from '../../contract/ipc';
import { parseRuleAction } from '../rules/message';
import { decodeMessage, type TicketDoc } from '../store';
import { deepEqual, isRecord, toPlainValue } from '../store/ticket-doc';

type Change = HistoryEntry['changes'][number];

/**
 * A ticket's history from its Automerge changes, oldest first: who (the change message), when
 * (the change time), a summary for people, and the before/after of every changed path. Each
 * change is compared between the document at its dependencies and at the change itself, which
 * is exactly its effect, also when seats made changes concurrently.
 */
export function ticketHistory(doc: TicketDoc, people: readonly SitePerson[]): HistoryEntry[] {
  const states = new Map<string, Record<string, unknown>>();
  const at = (heads: string[]): Record<string, unknown> => {
    const key = [...heads].sort().join(',');
    let state = states.get(key);
    if (!state) {
      state = toPlainValue(Automerge.toJS(Automerge.view(doc, heads))) as Record<string, unknown>;
      states.set(key, state);
    }
    return state;
  };
  return Automerge.getChangesMetaSince(doc, []).map((meta) => {
    const before = at(meta.deps);
    const after = at([meta.hash]);
    const changes = changedPaths(before, after);
    const message = decodeMessage(meta.message);
    return {
      at: new Date(meta.time * 1000).toISOString(),
      by: message?.by ?? meta.actor,
      seat: message?.seat ?? '',
      summary: summarize(message?.action ?? null, before, after, changes, people),
      changes,
    };
  });
}

/** Every path whose value differs; a value that appears or disappears is reported whole. */
export function changedPaths(before: unknown, after: unknown, path = ''): Change[] {
  if (deepEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => changedPaths(before[k], after[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => changedPaths(before[i], after[i], `${path}[${i}]`)).flat();
  }
  return [{ path, before: before ?? null, after: after ?? null }];
}

function summarize(action: string | null, before: Record<string, unknown>, after: Record<string, unknown>, changes: Change[], people: readonly SitePerson[]): string {
  const no = typeof after.no === 'string' ? after.no : '';
  if (action === 'create') return `创建工单 ${no}`;
  if (action === 'import') return `导入工单 ${no}`;
  if (action === 'comment') {
    const comments = Array.isArray(after.comments) ? after.comments : [];
    const last: unknown = comments[comments.length - 1];
    const text = isRecord(last) && typeof last.text === 'string' ? last.text : '';
    return `添加备注：${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
  }
  const fired = action ? parseRuleAction(action) : null;
  if (fired) {
    let summary = fired.length ? `自动规则 ${fired.map((f) => `${f.rule}@v${f.version}`).join('、')}` : '自动规则：合并重复标签';
    const from = before.state as TicketState | undefined;
    const to = after.state as TicketState | undefined;
    if (from && to && from !== to) summary += `：${STATE_LABELS[from].zh} → ${STATE_LABELS[to].zh}`;
    if (after.assignee !== before.assignee && typeof after.assignee === 'string') summary += `，处理人：${personName(after.assignee, people)}`;
    return summary;
  }
  const def = action ? transitionDef(action) : undefined;
  if (!def) return `修改了 ${[...new Set(changes.map((c) => c.path.split(/[.[]/)[0]))].join('、')}`;
  let summary = def.label.zh;
  const from = before.state as TicketState | undefined;
  const to = after.state as TicketState | undefined;
  if (from && to && from !== to) summary += `（${STATE_LABELS[from].zh} → ${STATE_LABELS[to].zh}）`;
  if (after.assignee !== before.assignee && typeof after.assignee === 'string') summary += `，处理人：${personName(after.assignee, people)}`;
  return summary;
}

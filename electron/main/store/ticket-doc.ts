import * as Automerge from '@automerge/automerge';
import type { Ticket } from '../../../domain';
import type { ChangeInfo, ChangeMessage, TicketDoc } from './ticket-store';

/**
 * A ticket as an Automerge document. Strings are written as immutable scalars: ticket fields are
 * replaced whole, never co-edited character by character, so last-writer-wins per field is the
 * right merge (two seats changing `state` must not interleave letters), and it is measured ~2×
 * cheaper to create and load than collaborative text. `undefined` is dropped (Automerge refuses it).
 */
export function toAutomergeValue(value: unknown): unknown {
  if (typeof value === 'string') return new Automerge.ImmutableString(value);
  if (Array.isArray(value)) return value.map(toAutomergeValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toAutomergeValue(v);
    return out;
  }
  return value;
}

/** Automerge values back to plain JSON (immutable strings and text both become strings). */
export function toPlainValue(value: unknown): unknown {
  if (value instanceof Automerge.ImmutableString) return value.val;
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlainValue(v);
    return out;
  }
  return value;
}

/** The ticket a document holds now. */
export function toTicket(doc: TicketDoc): Ticket {
  // The store only ever writes domain-built tickets into documents, so the shape is a Ticket.
  return toPlainValue(Automerge.toJS(doc)) as Ticket;
}

export function encodeMessage(m: ChangeMessage): string {
  return JSON.stringify({ by: m.by, seat: m.seat, action: m.action });
}

/** The change message of a change, or null when it is not one of ours. */
export function decodeMessage(message: string | null): ChangeMessage | null {
  if (!message) return null;
  try {
    const m: unknown = JSON.parse(message);
    if (isRecord(m) && typeof m.by === 'string' && typeof m.seat === 'string' && typeof m.action === 'string') {
      return { by: m.by, seat: m.seat, action: m.action };
    }
  } catch {
    // a message written by another tool: not ours
  }
  return null;
}

function options(info: ChangeInfo): Automerge.ChangeOptions<Record<string, unknown>> {
  return { message: encodeMessage(info.message), time: Math.floor(info.at / 1000) };
}

/** A new document holding `ticket`, written as one change. */
export function newTicketDoc(ticket: Ticket, info: ChangeInfo): TicketDoc {
  const value = toAutomergeValue(ticket) as Record<string, unknown>;
  return Automerge.change(Automerge.init<Record<string, unknown>>(), options(info), (d) => {
    Object.assign(d, value);
  });
}

/** A new document as stored: its bytes, its one change (the whole outbox) and its heads. */
export interface EncodedTicket {
  bytes: Uint8Array;
  change: Uint8Array;
  heads: Automerge.Heads;
}

/**
 * The import fast path: the same document as `newTicketDoc`, written through Automerge's
 * low-level handle so no JavaScript view of it is ever built (the patches `change` materializes
 * were half of its cost: measured ~0.9 ms instead of ~1.8 ms per demo ticket).
 */
export function encodeNewTicket(ticket: Ticket, info: ChangeInfo): EncodedTicket {
  const doc = Automerge.init<Record<string, unknown>>();
  try {
    const handle = Automerge.getBackend(doc);
    for (const [key, value] of Object.entries(toAutomergeValue(ticket) as Record<string, unknown>)) {
      if (value instanceof Automerge.ImmutableString) handle.put('_root', key, value.val, 'str');
      else if (value !== null && typeof value === 'object') handle.putObjectFromHydrate('_root', key, value);
      else handle.put('_root', key, value as number | boolean | null);
    }
    handle.commit(encodeMessage(info.message), Math.floor(info.at / 1000));
    const change = handle.getLastLocalChange();
    if (!change) throw new Error('Automerge made no change for a new ticket');
    return { bytes: handle.save(), change, heads: handle.getHeads() };
  } finally {
    Automerge.free(doc);
  }
}

/**
 * One change taking the document from `before` (what it holds now) to `after`: only the fields
 * that differ are written. Returns the same document when nothing differs.
 */
export function changeTicketDoc(doc: TicketDoc, before: Ticket, after: Ticket, info: ChangeInfo & { rewrite?: readonly string[] }): TicketDoc {
  const rewrite = (info.rewrite ?? []).filter((k) => k in after);
  if (rewrite.length === 0 && deepEqual(before, after)) return doc;
  return Automerge.change(doc, options(info), (d) => {
    syncMap(d, before as unknown as Record<string, unknown>, after as unknown as Record<string, unknown>);
    for (const key of rewrite) d[key] = toAutomergeValue((after as unknown as Record<string, unknown>)[key]);
  });
}

function syncMap(target: Record<string, unknown>, before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const key of Object.keys(before)) if (after[key] === undefined) delete target[key];
  for (const [key, next] of Object.entries(after)) {
    if (next === undefined) continue;
    const prev = before[key];
    if (deepEqual(prev, next)) continue;
    if (isRecord(prev) && isRecord(next)) syncMap(target[key] as Record<string, unknown>, prev, next);
    else if (Array.isArray(prev) && Array.isArray(next)) syncList(target[key] as unknown[], prev, next);
    else target[key] = toAutomergeValue(next);
  }
}

function syncList(target: unknown[], before: unknown[], after: unknown[]): void {
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) {
    const prev = before[i];
    const next = after[i];
    if (deepEqual(prev, next)) continue;
    if (isRecord(prev) && isRecord(next)) syncMap(target[i] as Record<string, unknown>, prev, next);
    else if (Array.isArray(prev) && Array.isArray(next)) syncList(target[i] as unknown[], prev, next);
    else target[i] = toAutomergeValue(next);
  }
  if (before.length > after.length) Automerge.deleteAt(target, after.length, before.length - after.length);
  for (let i = common; i < after.length; i++) target.push(toAutomergeValue(after[i]));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Automerge.ImmutableString);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

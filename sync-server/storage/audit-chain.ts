import { createHash } from 'node:crypto';
import type { AuditLine } from './types';

/**
 * The audit log's hash chain: every line carries `seal = SHA-256(previous seal · "\n" · the line's
 * canonical JSON without its seal)`, the first sealed line chaining to AUDIT_GENESIS. Editing a
 * line breaks its own seal; removing one breaks the next line's. Both stores seal lines inside the
 * same atomic write that stores them, one writer at a time (embedded: the store's mutex;
 * PostgreSQL: the `cl_audit_head` row lock), so the chain follows the order of ids. Lines written
 * before the chain existed have no seal and stay readable (verification counts them as legacy).
 */
export const AUDIT_GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every level (PostgreSQL's jsonb reorders keys), undefined dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function auditSeal(prev: string, line: AuditLine): string {
  const { seal: _seal, ...rest } = line;
  return createHash('sha256').update(prev).update('\n').update(canonicalJson(rest)).digest('hex');
}

/** Seals `lines` after `prev`; returns the sealed lines and the new chain head. */
export function sealLines(prev: string, lines: readonly AuditLine[]): { sealed: AuditLine[]; head: string } {
  let head = prev;
  const sealed = lines.map((l) => {
    const { seal: _drop, ...line } = l;
    head = auditSeal(head, line);
    return { ...line, seal: head };
  });
  return { sealed, head };
}

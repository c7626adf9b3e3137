import type { PoolClient } from 'pg';
import { AUDIT_GENESIS, sealLines } from '../audit-chain';
import type { AuditLine } from '../types';

/**
 * Appends sealed audit lines inside the caller's transaction. The `cl_audit_head` row is locked
 * (FOR UPDATE) until the transaction ends, so the instances append one at a time and the ids
 * (taken after the lock) follow the chain. Commits lock it last, after their tickets and site
 * sequences, so lock order stays the same everywhere.
 */
export async function insertAudit(c: PoolClient, lines: readonly AuditLine[]): Promise<void> {
  if (lines.length === 0) return;
  const prev = (await c.query<{ seal: string }>('SELECT seal FROM cl_audit_head WHERE k = 1 FOR UPDATE')).rows[0]?.seal ?? AUDIT_GENESIS;
  const { sealed, head } = sealLines(prev, lines);
  await c.query('INSERT INTO cl_audit (line) SELECT l FROM unnest($1::jsonb[]) WITH ORDINALITY AS x(l, n) ORDER BY n', [sealed.map((l) => JSON.stringify(l))]);
  await c.query('INSERT INTO cl_audit_head (k, seal) VALUES (1, $1) ON CONFLICT (k) DO UPDATE SET seal = EXCLUDED.seal', [head]);
}

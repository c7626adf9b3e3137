import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RetentionError, pruneAudit } from '../../sync-server/ops/retention';
import { verifyStore } from '../../sync-server/ops/verify';
import { sampleTicket } from '../../sync-server/storage/acceptance';
import { EmbeddedStorage } from '../../sync-server/storage/embedded';
import { PostgresStorage } from '../../sync-server/storage/postgres';
import type { SyncStorage } from '../../sync-server/storage/types';
import { usePostgres } from '../../sync-server/testing/use-postgres';

/** Audit retention: archive, anchor, remove — and the tamper check still holds across the cut. */
const NOW = () => new Date('2026-12-02T08:00:00Z');

async function retention(s: SyncStorage, dir: string): Promise<void> {
  await s.putSite({ id: 'mx-plant', name: 'x', prefix: 'MX', timezone: 'Asia/Shanghai' });
  const t = sampleTicket('MX20250101-0001');
  await s.commit({ seat: 's1', tickets: [{ id: t.id, site: 'mx-plant', no: 'MX20250101-0001', changes: [t.created], row: null, basedOn: [] }], audit: [{ at: '2025-01-01T09:00:00.000Z', kind: 'accept', seat: 's1', ticket: t.id, hashes: [t.created.hash] }] });
  await s.appendAudit([{ at: '2025-01-02T09:00:00.000Z', kind: 'login', user: 'wang.fang' }]);
  const e1 = t.edit('title', 'later');
  await s.commit({ seat: 's1', tickets: [{ id: t.id, site: 'mx-plant', changes: [e1], row: null, basedOn: [t.created.hash] }], audit: [{ at: '2026-11-30T09:00:00.000Z', kind: 'accept', seat: 's1', ticket: t.id, hashes: [e1.hash] }] });

  await expect(pruneAudit(s, { before: '2026-11-01T00:00:00.000Z', minDays: 180, archive: join(dir, 'no.jsonl'), now: NOW })).rejects.toThrow(RetentionError);
  const archive = join(dir, 'audit-2025.jsonl');
  const r = await pruneAudit(s, { before: '2026-01-01T00:00:00.000Z', minDays: 180, archive, now: NOW });
  expect(r.lines).toBe(2);
  const text = readFileSync(archive, 'utf8');
  expect(createHash('sha256').update(text).digest('hex')).toBe(r.sha256);
  expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { line: { kind: string } }).line.kind)).toEqual(['accept', 'login']);
  const kinds = (await s.readAudit(0, 10)).map((x) => x.line.kind);
  expect(kinds).toEqual(['accept', 'audit_pruned']);
  const report = await verifyStore(s);
  expect(report.problems).toEqual([]);
  expect(report.history.changes).toBe(2);
}

describe('audit retention', () => {
  it('embedded: archives and anchors before it removes, refuses inside the retention period', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'closeloop-retention-'));
    const s = await EmbeddedStorage.open({ dir });
    try {
      await retention(s, dir);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('PostgreSQL', () => {
    const postgres = usePostgres();
    it('prunes through the append-only trigger only by the retention path', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'closeloop-retention-'));
      const s = await PostgresStorage.open({ url: await postgres.database(`retention_${process.pid}`) });
      try {
        await retention(s, dir);
      } finally {
        await s.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
});

import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { dayKey, localDate } from '../../domain';
import { EmbeddedStorage, StorageLockedError } from '../storage/embedded';
import { restoreEmbeddedRecords } from '../storage/embedded/backup';
import { PostgresStorage } from '../storage/postgres';
import { RestoreRefused, restorePostgresRecords } from '../storage/postgres/backup';
import { RESTORED_LEASE_SEAT, type SyncStorage } from '../storage/types';
import { BACKUP_FORMAT, openBackupFile, writeBackupFile, type BackupHeader } from './backup-file';

/**
 * Online backup and offline restore, the same commands for both storages.
 *
 * Backup reads one consistent snapshot (storage.backupRecords) while the server keeps serving:
 * with embedded storage the running server writes the file (the admin CLI asks it through the
 * admin socket); with PostgreSQL any host that reaches the database can.
 *
 * Restore needs the server(s) stopped. Afterwards each seat's cursor still works: a cursor up to
 * the backup's sequence continues where it was; a cursor past it (changes acknowledged after the
 * backup) is taken back to the log's end by the server (net/streams.ts catchUp), and the seat's
 * anti-entropy pushes back what the restored server lacks. Number leases handed out after the
 * backup are unknown to the restored server, so restore raises every site's lease counters for the
 * days around the backup by `leaseGap`: numbers stay unique (not dense).
 */
export interface BackupResult {
  file: string;
  storage: 'embedded' | 'postgres';
  records: number;
  bytes: number;
  sha256: string;
  sites: Record<string, number>;
  ms: number;
}

export async function makeBackup(storage: SyncStorage, out: string, opts: { instance?: string; now?: () => Date } = {}): Promise<BackupResult> {
  const now = opts.now ?? (() => new Date());
  const started = Date.now();
  const sites: Record<string, number> = {};
  for (const s of await storage.listSites()) sites[s.id] = await storage.lastSeq(s.id);
  const header: BackupHeader = { format: BACKUP_FORMAT, version: 1, storage: storage.kind, createdAt: now().toISOString(), sites, ...(opts.instance ? { instance: opts.instance } : {}) };
  const t = await writeBackupFile(out, header, storage.backupRecords());
  const result: BackupResult = { file: out, storage: storage.kind, records: t.records, bytes: t.bytes, sha256: t.sha256, sites, ms: Date.now() - started };
  await storage.appendAudit([{ at: now().toISOString(), kind: 'backup_made', detail: { file: basename(out), records: t.records, sha256: t.sha256, sites } }]);
  return result;
}

export interface RestoreOptions {
  file: string;
  storage: 'embedded' | 'postgres';
  data?: string;
  pg?: string;
  force?: boolean;
  leaseGap?: number;
  now?: () => Date;
}

export interface RestoreResult {
  from: string;
  storage: 'embedded' | 'postgres';
  backupCreatedAt: string;
  records: number;
  sites: Record<string, number>;
  replaced?: string;
}

async function openTarget(o: RestoreOptions): Promise<SyncStorage> {
  return o.storage === 'postgres' ? PostgresStorage.open({ url: o.pg! }) : EmbeddedStorage.open({ dir: o.data! });
}

/** Refuses a data folder a server holds, or one with data unless `force`; returns whether a database exists. */
async function checkEmbeddedTarget(dir: string, force: boolean): Promise<boolean> {
  if (!existsSync(join(dir, 'db')) || readdirSync(join(dir, 'db')).length === 0) return false;
  let s: EmbeddedStorage;
  try {
    s = await EmbeddedStorage.open({ dir });
  } catch (e) {
    if (e instanceof StorageLockedError) throw new RestoreRefused(`${dir} is in use by a running sync server: stop it first`);
    throw e;
  }
  try {
    const holds = (await s.listUsers()).length > 0 || (await s.listSites()).length > 0;
    if (holds && !force) throw new RestoreRefused(`${dir} holds data: add --force to replace it (the old database is kept next to it as db.replaced-…)`);
  } finally {
    await s.close();
  }
  return true;
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const now = o.now ?? (() => new Date());
  const { header, records } = await openBackupFile(o.file);
  if (header.storage !== o.storage) throw new RestoreRefused(`the backup is of ${header.storage} storage; restore it into ${header.storage} storage (not ${o.storage})`);
  let n: number;
  let replaced: string | undefined;
  if (o.storage === 'postgres') {
    if (!o.pg) throw new RestoreRefused('--storage postgres needs --pg URL');
    n = await restorePostgresRecords(o.pg, records, { force: !!o.force });
  } else {
    if (!o.data) throw new RestoreRefused('--data DIR is required');
    const exists = await checkEmbeddedTarget(o.data, !!o.force);
    const restoring = join(o.data, 'db.restoring');
    try {
      n = await restoreEmbeddedRecords(restoring, records);
    } catch (e) {
      rmSync(restoring, { recursive: true, force: true });
      throw e;
    }
    if (exists) {
      replaced = join(o.data, `db.replaced-${now().toISOString().replace(/[:.]/g, '-')}`);
      renameSync(join(o.data, 'db'), replaced);
    }
    renameSync(restoring, join(o.data, 'db'));
  }
  const storage = await openTarget(o);
  try {
    await raiseLeaseFloors(storage, new Date(header.createdAt), now(), o.leaseGap ?? 1000);
    await storage.appendAudit([{ at: now().toISOString(), kind: 'backup_restored', detail: { file: basename(o.file), backupCreatedAt: header.createdAt, records: n, sites: header.sites } }]);
  } finally {
    await storage.close();
  }
  return { from: o.file, storage: o.storage, backupCreatedAt: header.createdAt, records: n, sites: header.sites, ...(replaced ? { replaced } : {}) };
}

/**
 * The seat recorded for the numbers that may have been leased after the backup: restore leases
 * them (the next `gap` numbers of each day around the backup) to this placeholder, so the counter
 * moves past them and the lease table says which numbers a restore left open.
 */
export { RESTORED_LEASE_SEAT };

/** Every site's lease counter, for each day from the day before the backup to the day after now, moves past what may have been leased since. */
async function raiseLeaseFloors(storage: SyncStorage, from: Date, to: Date, gap: number): Promise<void> {
  if (gap === 0) return;
  for (const site of await storage.listSites()) {
    const days = new Set<string>();
    for (let t = from.getTime() - 86_400_000; t <= to.getTime() + 86_400_000; t += 6 * 3_600_000) days.add(dayKey(localDate(t, site.timezone)));
    for (const day of days) {
      const next = (await storage.leaseBlocks(site.id, day)).reduce((m, b) => Math.max(m, b.to + 1), 1);
      const count = Math.min(gap, 99_999 - next);
      if (count > 0) await storage.lease(site.id, day, count, RESTORED_LEASE_SEAT).catch(() => undefined);
    }
  }
}

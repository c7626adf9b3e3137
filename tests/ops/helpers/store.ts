import { EmbeddedStorage } from '../../../sync-server/storage/embedded';
import { PostgresStorage } from '../../../sync-server/storage/postgres';
import type { SyncStorage } from '../../../sync-server/storage/types';

/** Opens a stopped server's storage directly (embedded: its data folder; PostgreSQL: its database). */
export function openStore(target: { data: string; pg?: string }): Promise<SyncStorage> {
  return target.pg ? PostgresStorage.open({ url: target.pg }) : EmbeddedStorage.open({ dir: target.data });
}

/** Every entry of every site's log as `site#seq ticket hash`, in order. */
export async function logOf(s: SyncStorage): Promise<{ key: string; seq: number; site: string; ticket: string; hash: string }[]> {
  const out: { key: string; seq: number; site: string; ticket: string; hash: string }[] = [];
  for (const site of await s.listSites()) {
    for (let after = 0; ; ) {
      const page = await s.readLog(site.id, after, 5_000);
      if (page.length === 0) break;
      for (const e of page) out.push({ key: `${e.ticketId} ${e.hash}`, seq: e.seq, site: site.id, ticket: e.ticketId, hash: e.hash });
      after = page[page.length - 1]!.seq;
    }
  }
  return out;
}

export async function withStore<T>(target: { data: string; pg?: string }, fn: (s: SyncStorage) => Promise<T>): Promise<T> {
  const s = await openStore(target);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

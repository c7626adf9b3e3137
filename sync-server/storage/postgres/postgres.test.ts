import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../../testing/postgres-cluster';
import { runSyncStorageTests } from '../acceptance';
import { PostgresStorage } from './index';

let cluster: PgCluster | null = null;
let n = 0;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(() => cluster?.stop());

describe('PostgreSQL availability', () => {
  it('has a PostgreSQL to test against (Debian: apt-get install postgresql)', () => {
    expect(cluster, 'PostgreSQL server binaries are required for these tests').not.toBeNull();
  });
});

runSyncStorageTests('PostgreSQL', async () => {
  if (!cluster) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const url = await cluster.database(`acceptance_${process.pid}_${++n}`);
  const opened: PostgresStorage[] = [];
  const open = async () => {
    const s = await PostgresStorage.open({ url });
    opened.push(s);
    return s;
  };
  let storage = await open();
  return {
    storage,
    async reopen() {
      await storage.close();
      storage = await open();
      return storage;
    },
    peer: open,
    async teardown() {
      for (const s of opened) await s.close().catch(() => undefined);
    },
  };
}, { multiInstance: true });

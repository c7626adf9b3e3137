import { usePostgres } from '../../testing/use-postgres';
import { runSyncStorageTests } from '../acceptance';
import { PostgresStorage } from './index';

const pg = usePostgres();
let n = 0;

runSyncStorageTests('PostgreSQL', async () => {
  const url = await pg.database(`acceptance_${process.pid}_${++n}`);
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

import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type PgCluster } from './postgres-cluster';

/**
 * In a `describe` block: a PostgreSQL cluster of its own for the block's tests, started before them
 * and stopped after. `database(name)` gives a fresh database, and fails the test when there is no
 * PostgreSQL (locally; in CI `startPostgres` already throws): a database test never passes by skipping.
 */
export function usePostgres(): { database(name: string): Promise<string>; url(): string } {
  let cluster: PgCluster | null = null;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  const started = (): PgCluster => {
    if (!cluster) throw new Error('PostgreSQL server binaries are required for this test (apt-get install postgresql)');
    return cluster;
  };
  return {
    database: (name) => started().database(name),
    /** The cluster's own connection URL (its default database). */
    url: () => started().url,
  };
}

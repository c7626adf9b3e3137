import type pg from 'pg';
import { migrateBlobs } from './blobs';
import { migrateDeliveries } from './deliveries';
import { migrate } from './schema';
import { migrateSiteDocs } from './site-docs';

/** Every table of the PostgreSQL storage (idempotent): at open, and before a restore into a fresh database. */
export async function migrateAll(pool: pg.Pool): Promise<void> {
  await migrate(pool);
  await migrateDeliveries(pool);
  await migrateSiteDocs(pool);
  await migrateBlobs(pool);
}

import { parseArgs } from 'node:util';
import { EmbeddedStorage, StorageLockedError } from '../storage/embedded';
import { PostgresStorage } from '../storage/postgres';
import type { SyncStorage } from '../storage/types';
import { AdminInputError, AdminService, type AdminRequest } from './service';
import { callAdminSocket } from './socket';

/**
 * `npm run -s admin -- <command> [args]` — users, seats and sites of the sync server.
 * With embedded storage it opens `--data` directly, or asks the running server through its admin
 * socket; with `--storage postgres --pg URL` it talks to the database (running servers learn of
 * revocations through NOTIFY). Exit 0 on success, 2 on bad input, 1 when something else failed.
 */
const USAGE = `usage: npm run -s admin -- <command> [--data DIR | --storage postgres --pg URL] [options]
  add-site <id> --prefix MX [--name N] [--timezone Asia/Shanghai]
  list-sites
  add-user <id> --role agent|dispatcher|technician|supervisor|admin --sites a,b [--name N] [--password P]
  disable-user <id>          enable-user <id>
  reset-password <id> [--password P]     (without --password a random one is printed once)
  list-users
  list-seats [--user U]
  revoke-seat <seat id | seat code>
  audit [--last N]`;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string', default: '.data/sync' },
        storage: { type: 'string', default: 'embedded' },
        pg: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        sites: { type: 'string' },
        password: { type: 'string' },
        prefix: { type: 'string' },
        timezone: { type: 'string' },
        user: { type: 'string' },
        last: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [cmd, id, ...extra] = positionals;
  if (values.help || !cmd) {
    process.stderr.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  if (extra.length > 0) {
    process.stderr.write(`unexpected arguments: ${extra.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const req: AdminRequest = { cmd, args: { id, name: values.name, role: values.role, sites: values.sites, password: values.password, prefix: values.prefix, timezone: values.timezone, user: values.user, last: values.last } };
  let storage: SyncStorage | null = null;
  try {
    let result: unknown;
    if (values.storage === 'postgres') {
      if (!values.pg) throw new AdminInputError('--storage postgres needs --pg URL');
      storage = await PostgresStorage.open({ url: values.pg });
      result = await new AdminService(storage).run(req);
    } else if (values.storage === 'embedded') {
      try {
        storage = await EmbeddedStorage.open({ dir: values.data });
        result = await new AdminService(storage).run(req);
      } catch (e) {
        if (!(e instanceof StorageLockedError)) throw e;
        result = await callAdminSocket(values.data, req);
      }
    } else throw new AdminInputError(`--storage "${values.storage}": embedded or postgres`);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } catch (e) {
    process.stderr.write(`${cmd}: ${(e as Error).message}\n`);
    return e instanceof AdminInputError ? 2 : 1;
  } finally {
    await storage?.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));

import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DELIVERY_USAGE } from '../connectors/admin';
import { restoreBackup } from '../ops/backup';
import { BackupFileError } from '../ops/backup-file';
import { RestoreRefused } from '../storage/postgres/backup';
import { EmbeddedStorage, StorageLockedError } from '../storage/embedded';
import { PostgresStorage } from '../storage/postgres';
import type { SyncStorage } from '../storage/types';
import { AdminInputError, AdminService, type AdminRequest } from './service';
import { callAdminSocket } from './socket';
import { UPDATE_PUBLISHED_CMD } from '../updates/admin';
import { PublishRefused, listFeed, publishUpdate } from '../updates/publish';

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
  set-user <id> [--role R] [--sites a,b]   (a permission change: audited with before/after)
  revoke-seat <seat id | seat code>
  audit [--last N]
  backup --out FILE          online, consistent backup (the running server writes FILE)
  restore --in FILE [--force] [--lease-gap N]   with every server stopped
  verify                     tamper check: audit hash chain, history hash links, the two against each other (exit 3: problems)
  audit-export (--ticket ID|NO | --from DATE --to DATE) [--csv FILE] [--html FILE]
  prune-audit --before DATE --archive FILE   retention: archive, anchor, then remove older audit lines
                             (refused inside the retention period: the server's --audit-retention-days,
                             or --retention-days here when the CLI opens the storage itself) [180]
${DELIVERY_USAGE}
  connectors                 the running server's connectors (needs the server, started with --connectors)
  updates publish <dist> [--updates DIR]   put an electron-builder build (its latest*.yml and installers) into the
                             update feed the server serves at /updates/ [<data>/updates]; audited
  updates list [--updates DIR]             what the feed offers: version, release date, files`;

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
        out: { type: 'string' },
        in: { type: 'string' },
        force: { type: 'boolean' },
        'lease-gap': { type: 'string' },
        ticket: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        csv: { type: 'string' },
        html: { type: 'string' },
        before: { type: 'string' },
        archive: { type: 'string' },
        'retention-days': { type: 'string' },
        state: { type: 'string' },
        updates: { type: 'string' },
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
  // `updates …`: the CLI works on the feed folder itself (the server's sandbox may not see the build
  // folder); a publication is then audited like any other command (directly, or through the socket).
  let updatesReq: AdminRequest | undefined;
  if (cmd === 'updates') {
    const feed = resolve(values.updates ?? join(values.data, 'updates'));
    if (id === 'list' && extra.length === 0) {
      process.stdout.write(JSON.stringify({ feed, channels: listFeed(feed) }, null, 2) + '\n');
      return 0;
    }
    if (id !== 'publish' || extra.length !== 1) {
      process.stderr.write(`updates: publish <dist folder> | list\n${USAGE}\n`);
      return 2;
    }
    try {
      const from = resolve(extra[0]!);
      const p = await publishUpdate(from, feed);
      process.stderr.write(`published ${p.version} (${p.channels.join(', ')}) into ${feed}; recording it in the audit log…\n`);
      updatesReq = { cmd: UPDATE_PUBLISHED_CMD, args: { version: p.version, channels: p.channels.join(','), files: p.files.join(','), feed, from } };
    } catch (e) {
      process.stderr.write(`updates publish: ${(e as Error).message}\n`);
      return e instanceof PublishRefused ? 2 : 1;
    }
  } else if (extra.length > 0) {
    process.stderr.write(`unexpected arguments: ${extra.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  // Files are written by whichever process runs the command (the running server, through the admin socket): absolute paths.
  const abs = (p: string | undefined) => (p === undefined ? undefined : resolve(p));
  const req: AdminRequest = updatesReq ?? {
    cmd,
    args: {
      id, name: values.name, role: values.role, sites: values.sites, password: values.password, prefix: values.prefix, timezone: values.timezone, user: values.user, last: values.last,
      out: abs(values.out), ticket: values.ticket, from: values.from, to: values.to, csv: abs(values.csv), html: abs(values.html), before: values.before, archive: abs(values.archive), state: values.state,
    },
  };
  const days = values['retention-days'] === undefined ? undefined : Number(values['retention-days']);
  if (days !== undefined && (!Number.isInteger(days) || days < 0)) {
    process.stderr.write('--retention-days N: a whole number of days\n');
    return 2;
  }
  const hooks = days === undefined ? {} : { retentionDays: days };
  if (cmd === 'restore') {
    try {
      if (!values.in) throw new AdminInputError('restore needs --in FILE');
      const gap = values['lease-gap'] === undefined ? undefined : Number(values['lease-gap']);
      if (gap !== undefined && (!Number.isInteger(gap) || gap < 0 || gap > 50_000)) throw new AdminInputError('--lease-gap N: 0 to 50000');
      if (values.storage !== 'embedded' && values.storage !== 'postgres') throw new AdminInputError(`--storage "${values.storage}": embedded or postgres`);
      if (values.storage === 'postgres' && !values.pg) throw new AdminInputError('--storage postgres needs --pg URL');
      const r = await restoreBackup({ file: resolve(values.in), storage: values.storage, data: values.data, ...(values.pg ? { pg: values.pg } : {}), force: !!values.force, ...(gap !== undefined ? { leaseGap: gap } : {}) });
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      return 0;
    } catch (e) {
      process.stderr.write(`restore: ${(e as Error).message}\n`);
      return e instanceof AdminInputError || e instanceof RestoreRefused || e instanceof BackupFileError ? 2 : 1;
    }
  }
  let storage: SyncStorage | null = null;
  try {
    let result: unknown;
    if (values.storage === 'postgres') {
      if (!values.pg) throw new AdminInputError('--storage postgres needs --pg URL');
      storage = await PostgresStorage.open({ url: values.pg });
      result = await new AdminService(storage, undefined, hooks).run(req);
    } else if (values.storage === 'embedded') {
      try {
        storage = await EmbeddedStorage.open({ dir: values.data });
        result = await new AdminService(storage, undefined, hooks).run(req);
      } catch (e) {
        if (!(e instanceof StorageLockedError)) throw e;
        result = await callAdminSocket(values.data, req);
      }
    } else throw new AdminInputError(`--storage "${values.storage}": embedded or postgres`);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return cmd === 'verify' && !(result as { ok: boolean }).ok ? 3 : 0;
  } catch (e) {
    process.stderr.write(`${cmd}: ${(e as Error).message}\n`);
    return e instanceof AdminInputError ? 2 : 1;
  } finally {
    await storage?.close();
  }
}

// Exit once stdout is flushed: a pipe takes 64 KB at a time, and exiting earlier cut long answers (dead-letters, audit).
main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));

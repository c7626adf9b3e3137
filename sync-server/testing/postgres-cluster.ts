import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: a temp folder, 127.0.0.1 and a random free port.
 * initdb and postgres refuse to run as root, so as root (CI) they run as an unprivileged user
 * (created if missing) through `runuser`. Without PostgreSQL the caller skips locally, but in CI
 * (`process.env.CI`) a missing PostgreSQL is an error: a database test must never pass by skipping.
 * fsync is off: these tests kill the sync server, never PostgreSQL, and CREATE DATABASE per test
 * would otherwise cost a second each.
 */
export interface PgCluster {
  url: string;
  /** A fresh, empty database on the cluster. */
  database(name: string): Promise<string>;
  stop(): void;
}

const PG_USER = 'closeloop-pg';

export function findPostgresBin(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function ensureUser(): { uid: number; gid: number } {
  try {
    execFileSync('id', ['-u', PG_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', PG_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', PG_USER]).toString().trim());
  return { uid, gid };
}

/** Starts a cluster, or returns null when PostgreSQL is not installed outside CI. */
export async function startPostgres(): Promise<PgCluster | null> {
  const bin = findPostgresBin();
  if (!bin) {
    if (process.env.CI) throw new Error('PostgreSQL server binaries are missing (looked in /usr/lib/postgresql/*/bin and $PG_BIN): CI must install postgresql');
    return null;
  }
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-pg-'));
  const asUser = (cmd: string, args: string[]) => (root ? ['runuser', ['-u', PG_USER, '--', cmd, ...args]] : [cmd, args]) as [string, string[]];
  if (root) {
    const { uid, gid } = ensureUser();
    chmodSync(dir, 0o700);
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  execFileSync(...asUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']), { stdio: 'ignore' });
  const pgctl = join(bin, 'pg_ctl');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c full_page_writes=off`;
  execFileSync(...asUser(pgctl, ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', opts, 'start']), { stdio: 'ignore' });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      execFileSync(...asUser(pgctl, ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    async database(name: string) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/[^a-z0-9_]/g, '_')}"`);
      } finally {
        await c.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name.replace(/[^a-z0-9_]/g, '_')}`;
    },
    stop,
  };
}

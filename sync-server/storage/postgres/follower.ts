import type { Client, Pool } from 'pg';
import type { AdminEvent, LogEntry } from '../types';
import { readLog } from './tickets';

/**
 * Follows the log of every site across server instances: LISTEN closeloop_log (a commit
 * notifies its site), then reads the entries after the last one seen, in sequence order, and
 * hands them to the listeners — the same path for this instance's commits and the others'.
 */
export class Follower {
  private readonly seen = new Map<string, number>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  readonly listeners = new Set<(entries: LogEntry[]) => void>();
  readonly adminListeners = new Set<(event: AdminEvent) => void>();
  private started = false;

  constructor(
    private readonly pool: Pool,
    private readonly listen: Client,
  ) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const r = await this.pool.query<{ site: string; seq: string }>('SELECT site, seq FROM cl_site_seq');
    for (const x of r.rows) this.seen.set(x.site, Number(x.seq));
    this.listen.on('notification', (n) => {
      if (n.channel === 'closeloop_log' && n.payload) this.poke(n.payload);
      if (n.channel === 'closeloop_admin' && n.payload) {
        try {
          const e = JSON.parse(n.payload) as AdminEvent;
          for (const l of this.adminListeners) l(e);
        } catch {
          // a malformed admin notification is ignored
        }
      }
    });
    await this.listen.query('LISTEN closeloop_log');
    await this.listen.query('LISTEN closeloop_admin');
  }

  /** Reads a site's new entries; one read at a time per site, repeated if poked meanwhile. */
  poke(site: string): void {
    if (this.busy.has(site)) {
      this.again.add(site);
      return;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(site);
          for (;;) {
            const after = this.seen.get(site) ?? 0;
            const entries = await readLog(this.pool, site, after, 1000, true);
            if (entries.length === 0) break;
            this.seen.set(site, entries[entries.length - 1]!.seq);
            for (const l of this.listeners) l(entries);
            if (entries.length < 1000) break;
          }
        } while (this.again.has(site));
      } catch {
        this.again.add(site); // the database went away; the next notification retries
      } finally {
        this.busy.delete(site);
      }
    })();
    this.busy.set(site, run);
  }

  async idle(): Promise<void> {
    await Promise.all([...this.busy.values()]);
  }
}

import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { SyncStorage } from '../storage/types';

/**
 * Prometheus text exposition (format 0.0.4) without a client library: counters, gauges read at
 * scrape time, and histograms. Label values are escaped; names are fixed in code.
 */
type Labels = Record<string, string>;
const key = (l: Labels): string => Object.keys(l).sort().map((k) => `${k}="${l[k]!.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',');
const fmt = (name: string, lk: string, v: number): string => `${name}${lk ? `{${lk}}` : ''} ${Number.isFinite(v) ? v : 0}`;

interface Family {
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  render(name: string): Promise<string[]> | string[];
}

export class Counter {
  private readonly values = new Map<string, number>();
  inc(labels: Labels = {}, n = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + n);
  }
  get(labels: Labels = {}): number {
    return this.values.get(key(labels)) ?? 0;
  }
  lines(name: string): string[] {
    return [...this.values].map(([k, v]) => fmt(name, k, v));
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private n = 0;
  constructor(private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    this.n += 1;
    this.buckets.forEach((b, i) => v <= b && (this.counts[i]! += 1));
  }
  lines(name: string): string[] {
    return [...this.buckets.map((b, i) => fmt(`${name}_bucket`, `le="${b}"`, this.counts[i]!)), fmt(`${name}_bucket`, 'le="+Inf"', this.n), fmt(`${name}_sum`, '', this.sum), fmt(`${name}_count`, '', this.n)];
  }
}

export class Metrics {
  private readonly families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    const c = new Counter();
    this.families.set(name, { help, type: 'counter', render: (n) => c.lines(n) });
    return c;
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    const h = new Histogram(buckets);
    this.families.set(name, { help, type: 'histogram', render: (n) => h.lines(n) });
    return h;
  }

  /** A gauge read when scraped. */
  gauge(name: string, help: string, read: () => Promise<[Labels, number][]> | [Labels, number][]): void {
    this.families.set(name, { help, type: 'gauge', render: async (n) => (await read()).map(([l, v]) => fmt(n, key(l), v)) });
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      let lines: string[];
      try {
        lines = await f.render(name);
      } catch {
        continue; // a gauge whose source is down (the database) is left out of this scrape
      }
      out.push(`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`, ...lines);
    }
    return out.join('\n') + '\n';
  }
}

/** The server's metrics: process, connections (given by the HTTP layer), storage commits and every audit event by kind. */
export class ServerMetrics {
  readonly registry = new Metrics();
  readonly http = this.registry.counter('closeloop_http_requests_total', 'HTTP requests by path and status.');
  readonly audit = this.registry.counter('closeloop_audit_events_total', 'Audit lines written, by kind (accept, refuse, login, login_failed, auth_failed, seat_revoked, …).');
  readonly changes = this.registry.counter('closeloop_changes_committed_total', 'Automerge changes committed to the log.');
  readonly commitSeconds = this.registry.histogram('closeloop_commit_seconds', 'Time to commit a push batch durably.', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  readonly tlsFailures = this.registry.counter('closeloop_tls_handshake_failures_total', 'TLS handshakes that failed (untrusted or expired client, plain HTTP to the TLS port, …).');
  readonly backups = this.registry.counter('closeloop_backups_total', 'Backups written by this process, by result.');
  lastBackup = 0;
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });

  constructor(storage: SyncStorage, info: { instance: string; version: string; tls: boolean }, connections: () => number) {
    this.loop.enable();
    const started = Date.now() / 1000;
    const r = this.registry;
    r.gauge('closeloop_build_info', 'Version, storage, instance and whether TLS is on (always 1).', () => [[{ version: info.version, storage: storage.kind, instance: info.instance, tls: String(info.tls) }, 1]]);
    r.gauge('closeloop_connections', 'Seats connected to this instance.', () => [[{}, connections()]]);
    r.gauge('closeloop_site_log_seq', 'Last sequence number of each site’s change log.', async () => Promise.all((await storage.listSites()).map(async (s): Promise<[Labels, number]> => [{ site: s.id }, await storage.lastSeq(s.id)])));
    r.gauge('closeloop_last_backup_timestamp_seconds', 'When this process last wrote a backup (0: never).', () => [[{}, this.lastBackup]]);
    r.gauge('process_resident_memory_bytes', 'Resident memory.', () => [[{}, process.memoryUsage.rss()]]);
    r.gauge('process_cpu_seconds_total', 'User and system CPU time.', () => {
      const c = process.cpuUsage();
      return [[{}, (c.user + c.system) / 1e6]];
    });
    r.gauge('process_start_time_seconds', 'Start time of the process (Unix time).', () => [[{}, started]]);
    r.gauge('nodejs_eventloop_delay_p99_seconds', 'Event loop delay, 99th percentile since the last scrape.', () => {
      const v = this.loop.percentile(99) / 1e9;
      this.loop.reset();
      return [[{}, v]];
    });
  }

  /** Wraps the storage so commits and audit lines are counted where they are written. */
  meter<S extends SyncStorage>(storage: S): S {
    return new Proxy(storage, {
      get: (target, prop, receiver) => {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'commit') {
          return async (batch: Parameters<S['commit']>[0]) => {
            const t0 = performance.now();
            const res = await target.commit(batch);
            this.commitSeconds.observe((performance.now() - t0) / 1000);
            this.changes.inc({}, res.entries.length);
            for (const l of batch.audit) this.audit.inc({ kind: l.kind });
            return res;
          };
        }
        if (prop === 'appendAudit') {
          return async (lines: Parameters<S['appendAudit']>[0]) => {
            await target.appendAudit(lines);
            for (const l of lines) this.audit.inc({ kind: l.kind });
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

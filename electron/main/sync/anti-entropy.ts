import type { SeatReplica } from './replica';

/**
 * Anti-entropy: compare the seat's per-bucket digests with the server's, and for the buckets that
 * differ compare heads ticket by ticket, then repair both ways — fetch what the seat lacks, push
 * what the server lacks. Finds what redelivery and cursors cannot (a lost write, a restored disk).
 */
export interface AntiEntropyPort {
  request(message: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Queues changes for the server outside the outbox (a repair). */
  repair(ticketId: string, changes: Uint8Array[]): void;
}

export interface AntiEntropyReport {
  site: string;
  buckets: number;
  fetched: number;
  pushed: number;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h) => b.includes(h));

export async function antiEntropy(replica: SeatReplica, port: AntiEntropyPort, site: string): Promise<AntiEntropyReport> {
  const report: AntiEntropyReport = { site, buckets: 0, fetched: 0, pushed: 0 };
  const theirs = (await port.request({ t: 'digest', site })).buckets as string[];
  const ours = await replica.digest(site);
  const differing = theirs.map((d, i) => (d === ours[i] ? -1 : i)).filter((i) => i >= 0);
  report.buckets = differing.length;
  for (let i = 0; i < differing.length; i += 32) {
    const buckets = differing.slice(i, i + 32);
    const server = new Map(((await port.request({ t: 'bucket', site, buckets })).tickets as { id: string; heads: string[] }[]).map((t) => [t.id, t.heads]));
    const local = new Map((await replica.bucketHeads(site, buckets)).map((t) => [t.id, t.heads]));
    const fetch: { id: string; have: string[] }[] = [];
    for (const [id, heads] of server) {
      const mine = local.get(id);
      if (!mine) {
        fetch.push({ id, have: [] });
        continue;
      }
      if (sameSet(mine, heads)) continue;
      fetch.push({ id, have: [...mine] });
      const missing = await replica.changesSince(id, heads);
      if (missing && missing.length > 0) {
        port.repair(id, missing);
        report.pushed += 1;
      }
    }
    for (const [id] of local) {
      if (server.has(id)) continue;
      const all = await replica.changesSince(id, []);
      if (all && all.length > 0) {
        port.repair(id, all);
        report.pushed += 1;
      }
    }
    for (let j = 0; j < fetch.length; j += 500) await port.request({ t: 'fetch', tickets: fetch.slice(j, j + 500) });
    report.fetched += fetch.length;
  }
  return report;
}

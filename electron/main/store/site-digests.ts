import { DigestIndex, bucketOf } from '../../../sync-server/protocol';
import type { TicketEntry } from './records';

/**
 * The anti-entropy view of the store's tickets (sync-server/protocol/digest.ts): per-site bucket
 * digests, built on first use from every entry and then kept up to date as entries change, and
 * each ticket's bucket, computed once. Memory only; nothing of it is stored.
 */
export class SiteDigests {
  private sites: Map<string, DigestIndex> | null = null;
  private readonly buckets = new Map<string, number>();

  constructor(private readonly entries: ReadonlyMap<string, TicketEntry>) {}

  /** An entry is about to replace `old` (undefined: a new ticket). */
  changed(old: TicketEntry | undefined, next: TicketEntry): void {
    if (!this.sites) return;
    const id = next.row.id;
    const sameSite = old !== undefined && old.row.site === next.row.site;
    if (old && !sameSite) this.site(old.row.site).remove(id, old.heads);
    this.site(next.row.site).update(id, sameSite ? old.heads : null, next.heads);
  }

  /** A ticket left the store. */
  removed(old: TicketEntry): void {
    this.sites?.get(old.row.site)?.remove(old.row.id, old.heads);
  }

  /** The site's 256 bucket digests. */
  hex(site: string): string[] {
    if (!this.sites) {
      this.sites = new Map();
      for (const e of this.entries.values()) this.site(e.row.site).update(e.row.id, null, e.heads);
    }
    return this.site(site).hex();
  }

  /** The heads of the site's tickets that fall in `buckets`. */
  bucketHeads(site: string, buckets: readonly number[]): { id: string; heads: readonly string[] }[] {
    const want = new Set(buckets);
    const out: { id: string; heads: readonly string[] }[] = [];
    for (const [id, e] of this.entries) if (e.row.site === site && want.has(this.bucket(id))) out.push({ id, heads: e.heads });
    return out;
  }

  private site(site: string): DigestIndex {
    let d = this.sites!.get(site);
    if (!d) this.sites!.set(site, (d = new DigestIndex()));
    return d;
  }

  private bucket(id: string): number {
    let b = this.buckets.get(id);
    if (b === undefined) this.buckets.set(id, (b = bucketOf(id)));
    return b;
  }
}

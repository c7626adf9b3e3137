import * as A from '@automerge/automerge';
import { viewTicket } from '../protocol';
import type { StoredTicket, SyncStorage } from '../storage/types';
import { DocCache } from './doc-cache';

/**
 * The server never writes to a ticket document itself, so every document it loads shares one
 * actor id instead of drawing a random one (measured: the randomness was 1.5% of a push).
 */
export const SERVER_ACTOR = 'c105e100'.repeat(4);

export function loadDoc(bytes: Uint8Array): A.Doc<unknown> {
  return A.load<unknown>(bytes, { actor: SERVER_ACTOR });
}

/** Loading ticket documents: from the LRU when live, else snapshot + tail from storage in one `load`. */
export function docFromStored(t: StoredTicket): A.Doc<unknown> {
  const parts = [...(t.snapshot ? [t.snapshot] : []), ...t.tail.map((x) => x.change)];
  if (parts.length === 1) return loadDoc(parts[0]!);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.byteLength;
  }
  return loadDoc(all);
}

export class TicketDocs {
  readonly cache: DocCache;
  constructor(
    private readonly storage: SyncStorage,
    capacity: number,
  ) {
    this.cache = new DocCache(capacity);
  }

  /** The stored document (never the cached one), or null for an unknown ticket. */
  async loadStored(id: string): Promise<A.Doc<unknown> | null> {
    const t = await this.storage.loadTicket(id);
    return t ? docFromStored(t) : null;
  }

  /**
   * Takes the documents of a push out of the cache, loading the others in one storage read; the
   * caller puts them back with `cache.set` (or frees them). Unknown tickets map to null.
   */
  async takeAll(ids: readonly string[]): Promise<Map<string, { doc: A.Doc<unknown> | null; cached: boolean }>> {
    const out = new Map<string, { doc: A.Doc<unknown> | null; cached: boolean }>();
    const missing: string[] = [];
    for (const id of ids) {
      const doc = this.cache.take(id);
      if (doc) out.set(id, { doc, cached: true });
      else missing.push(id);
    }
    const stored = missing.length > 0 ? await this.storage.loadTickets(missing) : new Map<string, StoredTicket>();
    for (const id of missing) {
      const t = stored.get(id);
      out.set(id, { doc: t ? docFromStored(t) : null, cached: false });
    }
    return out;
  }

  /** Whether the live copy of a ticket holds a change. */
  hasChange(id: string, hash: string): boolean {
    const doc = this.cache.get(id);
    return doc !== undefined && A.hasHeads(doc, [hash]);
  }

  /** Changes a holder of `have` lacks (heads the server does not know are ignored). */
  async changesSince(id: string, have: readonly string[]): Promise<{ site: string; changes: Uint8Array[] } | null> {
    let doc = this.cache.get(id);
    const fromCache = doc !== undefined;
    doc ??= (await this.loadStored(id)) ?? undefined;
    if (!doc) return null;
    try {
      const known = have.filter((h) => A.hasHeads(doc, [h]));
      return { site: viewTicket(doc)?.site ?? '', changes: A.getChangesSince(doc, known) };
    } finally {
      if (!fromCache) A.free(doc);
    }
  }
}

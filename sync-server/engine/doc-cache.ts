import { free, type Doc } from '@automerge/automerge';

/**
 * A bounded LRU of live Automerge documents that frees what it evicts. Measured on Node 20
 * (DESIGN.md §3): past ~3,000 live documents garbage collection eats the CPU, so the server keeps
 * at most `capacity` (default 2,000) and reloads the rest from snapshot + tail on demand.
 */
export class DocCache {
  private readonly docs = new Map<string, Doc<unknown>>();

  constructor(readonly capacity = 2_000) {}

  get(id: string): Doc<unknown> | undefined {
    const doc = this.docs.get(id);
    if (doc !== undefined) {
      this.docs.delete(id);
      this.docs.set(id, doc);
    }
    return doc;
  }

  /** Removes a document without freeing it: the caller owns it now (and puts it back with `set`). */
  take(id: string): Doc<unknown> | undefined {
    const doc = this.docs.get(id);
    this.docs.delete(id);
    return doc;
  }

  /** Stores the current version of a document (the previous version object is superseded, not freed: it shares the handle). */
  set(id: string, doc: Doc<unknown>): void {
    this.docs.delete(id);
    this.docs.set(id, doc);
    while (this.docs.size > this.capacity) {
      const oldest = this.docs.keys().next().value as string;
      this.drop(oldest);
    }
  }

  drop(id: string): void {
    const doc = this.docs.get(id);
    if (doc === undefined) return;
    this.docs.delete(id);
    free(doc);
  }

  get size(): number {
    return this.docs.size;
  }

  clear(): void {
    for (const id of [...this.docs.keys()]) this.drop(id);
  }
}

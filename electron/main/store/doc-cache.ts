import * as Automerge from '@automerge/automerge';

/**
 * The live Automerge documents of one process, least recently used first out. Past ~3,000 live
 * documents garbage collection eats the CPU (DESIGN.md §3), so the cache is bounded and frees
 * (`Automerge.free`) every document it lets go of. A caller that needs a document across an
 * `await` takes it out (`take`) and puts it back, so an eviction can never free it under them.
 */
export class DocCache<D> {
  private readonly docs = new Map<string, D>();

  constructor(
    readonly capacity = 500,
    private readonly dispose: (doc: D) => void = (doc) => Automerge.free(doc as Automerge.Doc<unknown>),
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache size must be a positive integer: ${capacity}`);
  }

  get size(): number {
    return this.docs.size;
  }

  has(id: string): boolean {
    return this.docs.has(id);
  }

  /** The document, marked as most recently used. */
  get(id: string): D | undefined {
    const doc = this.docs.get(id);
    if (doc !== undefined) {
      this.docs.delete(id);
      this.docs.set(id, doc);
    }
    return doc;
  }

  /** Removes the document without freeing it: the caller owns it now. */
  take(id: string): D | undefined {
    const doc = this.docs.get(id);
    this.docs.delete(id);
    return doc;
  }

  /** Holds `doc` as the most recently used; frees a different document it replaces and the oldest past capacity. */
  put(id: string, doc: D): void {
    const old = this.docs.get(id);
    this.docs.delete(id);
    if (old !== undefined && old !== doc) this.dispose(old);
    this.docs.set(id, doc);
    while (this.docs.size > this.capacity) {
      const [oldestId, oldest] = this.docs.entries().next().value as [string, D];
      this.docs.delete(oldestId);
      this.dispose(oldest);
    }
  }

  /** Frees and forgets one document (after a failed write: memory must match the disk). */
  drop(id: string): void {
    const doc = this.docs.get(id);
    this.docs.delete(id);
    if (doc !== undefined) this.dispose(doc);
  }

  clear(): void {
    for (const doc of this.docs.values()) this.dispose(doc);
    this.docs.clear();
  }
}

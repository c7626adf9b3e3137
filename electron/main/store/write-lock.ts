/** Runs writes one after another, in call order; a failed write does not block the next one. */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when every write queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

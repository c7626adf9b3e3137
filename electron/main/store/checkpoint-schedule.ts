/**
 * When the store takes a row checkpoint (row-checkpoint.ts), and one at a time. A checkpoint is
 * due after `every` writes, or a quarter of the store's size if that is more, and is then taken
 * once writes pause for `quietMs`; writes that never pause get one at half the store's size. A
 * bootstrap of 50,000 tickets, writing without a pause, so takes checkpoints at 2,000, 4,000, …,
 * 32,000 tickets and one at the end (about 60,000 rows written; at a quarter without the pause
 * it was about 200,000, an eighth of the bootstrap's CPU). A checkpoint counts off the writes it
 * covered; one that fails counts off nothing (it only makes the next open slower).
 */
export class CheckpointSchedule {
  private running: Promise<void> | null = null;
  private quiet: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Writes since the last checkpoint (at open: those replayed after it). */
    private pending: number,
    private readonly every: number,
    /** Takes a checkpoint (the store's `checkpoint`, which comes back to `run`). */
    private readonly take: () => void,
    private readonly quietMs = 1_000,
  ) {}

  /** Writes not yet in a checkpoint. */
  get written(): number {
    return this.pending;
  }

  /** The checkpoint being taken, if any. */
  get current(): Promise<void> | null {
    return this.running;
  }

  /** Counts `n` writes to a store of `size` tickets, and takes a checkpoint now or once writes pause if one is due. */
  wrote(n: number, size: number): void {
    this.pending += n;
    if (this.running !== null || this.pending < Math.max(this.every, Math.floor(size / 4))) return;
    if (this.pending >= Math.max(this.every, Math.floor(size / 2))) {
      this.stop();
      this.take();
      return;
    }
    if (this.quiet) this.quiet.refresh();
    else {
      this.quiet = setTimeout(() => {
        this.quiet = null;
        if (this.running === null) this.take();
      }, this.quietMs);
      this.quiet.unref?.();
    }
  }

  /** Runs `take` unless a checkpoint already runs (that one is returned); `take` answers how many writes it covered. */
  run(take: () => Promise<number>): Promise<void> {
    this.running ??= take()
      .then((covered) => void (this.pending -= covered))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Forgets a checkpoint waiting for a pause (the store closes, or takes one now). */
  stop(): void {
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
  }
}

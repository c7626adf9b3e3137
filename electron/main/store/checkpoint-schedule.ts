/**
 * When the store takes a row checkpoint (row-checkpoint.ts), and one at a time: after `every`
 * writes, or a quarter of the store's size if that is more (a bootstrap of 50,000 tickets is not
 * slowed down by ~25 checkpoints of 50,000 rows). A checkpoint counts off the writes it covered;
 * one that fails counts off nothing (it only makes the next open slower).
 */
export class CheckpointSchedule {
  private running: Promise<void> | null = null;

  constructor(
    /** Writes since the last checkpoint (at open: those replayed after it). */
    private pending: number,
    private readonly every: number,
  ) {}

  /** Writes not yet in a checkpoint. */
  get written(): number {
    return this.pending;
  }

  /** The checkpoint being taken, if any. */
  get current(): Promise<void> | null {
    return this.running;
  }

  /** Counts `n` writes to a store of `size` tickets; true when a checkpoint is due and none runs. */
  wrote(n: number, size: number): boolean {
    this.pending += n;
    return this.running === null && this.pending >= Math.max(this.every, Math.floor(size / 4));
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
}

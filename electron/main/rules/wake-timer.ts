/** The timer functions the runner uses (injected in tests). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.(); // a pending SLA timer must not keep a closing process alive
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * One real timer for the next thing due. It sleeps at most `maxSleepMs` at a time and then looks
 * again, so a wall clock that jumps (suspend, NTP, a test clock) is noticed within that bound
 * without polling every ticket: a wake-up costs one comparison.
 */
export class WakeTimer {
  private handle: unknown = null;
  private at: number | null = null;

  constructor(
    private readonly clock: () => number,
    private readonly timers: Timers,
    private readonly onWake: () => void,
    private readonly maxSleepMs = 60_000,
  ) {}

  /** (Re)arms for `at` (epoch ms by the node's clock); null disarms. */
  arm(at: number | null): void {
    if (this.handle !== null && at === this.at) return;
    this.stop();
    this.at = at;
    if (at === null) return;
    const delay = Math.min(Math.max(0, at - this.clock()), this.maxSleepMs);
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.at = null;
      this.onWake();
    }, delay);
  }

  /** When it is armed for, or null. */
  armedFor(): number | null {
    return this.handle === null ? null : this.at;
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
    this.at = null;
  }
}

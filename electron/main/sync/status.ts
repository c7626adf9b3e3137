/** What the console shows about sync: online or not, changes waiting, last sync, bootstrap progress. */
export interface SyncStatus {
  online: boolean;
  /** Local changes (tickets with changes) the server has not acknowledged. */
  pending: number;
  /** ISO time of the last exchange with the server (ack, changes, caught up). */
  lastSyncAt: string | null;
  /** A new seat's first fill, or a long catch-up. */
  progress: { site: string; phase: 'bootstrap' | 'catch-up'; done: number; total: number } | null;
  /** Why the client stopped trying (wrong or revoked token), or the last connection problem. */
  error: string | null;
  /** The seat's two-letter code once the server welcomed it. */
  seatCode: string | null;
}

type Listener<T> = (value: T) => void;

/** A minimal typed event emitter (no Node EventEmitter: the client also runs in tests and hosts). */
export class Emitter<Events extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(name: K, fn: Listener<Events[K]>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn as Listener<never>);
    return () => set.delete(fn as Listener<never>);
  }

  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as Listener<Events[K]>)(value);
  }
}

import type { EventName, Events } from '../../contract/ipc';

/** A listener gets the event's name and its payload, typed together. */
export type NodeListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** The node's events for every transport to forward (IPC, WebSocket). */
export class NodeEvents {
  private readonly listeners = new Set<NodeListener>();

  subscribe(listener: NodeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // a broken listener (a closed window) must not stop the others or the write
      }
    }
  }
}

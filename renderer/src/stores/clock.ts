import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getApi } from '../api';
import type { NodeClock } from '../types';

/**
 * The local node's clock as the console sees it: an offset from the browser's clock, read from
 * `node.clock` (half the round trip counted) and again whenever the node says its clock was set.
 * Countdowns and time-in-state use it, so a seat whose node runs on an injected or corrected
 * clock shows what its rules see.
 */
export const useClockStore = defineStore('clock', () => {
  const api = getApi();
  const offsetRef = ref(0);
  const loadedRef = ref(false);

  const offset = computed(() => offsetRef.value);
  const loaded = computed(() => loadedRef.value);

  function adopt(clock: NodeClock, sentAt: number, receivedAt: number): void {
    offsetRef.value = Date.parse(clock.now) - (sentAt + receivedAt) / 2;
    loadedRef.value = true;
  }

  async function sync(): Promise<void> {
    const sentAt = Date.now();
    const clock = await api['node.clock']({});
    adopt(clock, sentAt, Date.now());
  }

  api.on('node.clock', (clock) => adopt(clock, Date.now(), Date.now()));

  /** The node's time now (epoch ms). */
  function now(): number {
    return Date.now() + offsetRef.value;
  }

  return { offset, loaded, sync, now };
});

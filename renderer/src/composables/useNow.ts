import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { useClockStore } from '../stores/clock';

/**
 * The local node's current time in ms (not the browser's: the node's clock may be injected or
 * corrected), ticking every `everyMs` while the component lives and at once when the clock moves.
 */
export function useNow(everyMs = 30_000): Ref<number> {
  const clock = useClockStore();
  if (!clock.loaded) void clock.sync().catch(() => undefined);
  const now = ref(clock.now());
  const timer = setInterval(() => { now.value = clock.now(); }, everyMs);
  watch(() => clock.offset, () => { now.value = clock.now(); });
  onScopeDispose(() => clearInterval(timer));
  return now;
}

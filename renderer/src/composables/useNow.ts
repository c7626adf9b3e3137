import { onScopeDispose, ref, type Ref } from 'vue';

/** The current time in ms, ticking every `everyMs` while the component lives. */
export function useNow(everyMs = 30_000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => { now.value = Date.now(); }, everyMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}

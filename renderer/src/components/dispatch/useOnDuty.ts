import { onBeforeUnmount, onMounted, shallowRef } from 'vue';
import { errorBody, getApi } from '@/api';
import type { OnDutyView } from '@/types';

const REFRESH_MS = 60_000;
const CHANGED_DEBOUNCE_MS = 500;

/** The node's rosters now (rules.onDuty), fetched on mount, after ticket changes and each minute. */
export function useOnDuty() {
  const api = getApi();
  const view = shallowRef<OnDutyView | null>(null);
  const error = shallowRef<string | null>(null);
  let timer: ReturnType<typeof setInterval> | null = null;
  let debounce: ReturnType<typeof setTimeout> | null = null;

  async function load(): Promise<void> {
    try {
      view.value = await api['rules.onDuty']({});
      error.value = null;
    } catch (e) {
      error.value = errorBody(e).message;
    }
  }

  const off = api.on('tickets.changed', () => {
    if (debounce) return;
    debounce = setTimeout(() => { debounce = null; void load(); }, CHANGED_DEBOUNCE_MS);
  });
  const offRules = api.on('rulebook.changed', () => void load());

  onMounted(() => {
    void load();
    timer = setInterval(() => void load(), REFRESH_MS);
  });
  onBeforeUnmount(() => {
    off();
    offRules();
    if (timer) clearInterval(timer);
    if (debounce) clearTimeout(debounce);
  });

  return { view, error, load };
}

import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { getApi } from '../api';
import type { RelatedTickets } from '../types';

export interface RelatedKeys {
  phone?: string | null | undefined;
  device?: string | null | undefined;
  location?: string | null | undefined;
  excludeId?: string | null | undefined;
}

const DEBOUNCE_MS = 250;

/**
 * The tickets related to what is being typed (or read): asked of the node a moment after the
 * keys stop changing; a late answer to older keys is dropped. Null until there is a key to ask with.
 */
export function useRelated(keys: Ref<RelatedKeys>, sinceDays = 183) {
  const api = getApi();
  const result = ref<RelatedTickets | null>(null);
  const loading = ref(false);
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  async function fetchNow(k: RelatedKeys): Promise<void> {
    const mine = ++seq;
    const input = {
      sinceDays,
      limit: 12,
      ...(k.phone?.trim() ? { phone: k.phone.trim() } : {}),
      ...(k.device?.trim() ? { device: k.device.trim() } : {}),
      ...(k.location?.trim() ? { location: k.location.trim() } : {}),
      ...(k.excludeId ? { excludeId: k.excludeId } : {}),
    };
    if (!input.phone && !input.device && !input.location) {
      result.value = null;
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const r = await api['tickets.related'](input);
      if (mine === seq) result.value = r;
    } catch {
      if (mine === seq) result.value = null; // the panel is a help, not the task: it stays quiet
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch(keys, (k) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void fetchNow(k);
    }, DEBOUNCE_MS);
  }, { deep: true, immediate: true });
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
    seq++;
  });

  return { result, loading, refresh: () => fetchNow(keys.value) };
}

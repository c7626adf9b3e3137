import { onMounted, ref, type Ref } from 'vue';
import { errorBody } from '@/api';

/** A list an admin tab shows: loaded on mount, reloaded on demand, its error in words (no toast). */
export function useAdminList<T>(load: () => Promise<T>, initial: T): { data: Ref<T>; loading: Ref<boolean>; error: Ref<string | null>; reload: () => Promise<void> } {
  const data = ref(initial) as Ref<T>;
  const loading = ref(false);
  const error = ref<string | null>(null);
  async function reload(): Promise<void> {
    loading.value = true;
    try {
      data.value = await load();
      error.value = null;
    } catch (e) {
      error.value = errorBody(e).message;
    } finally {
      loading.value = false;
    }
  }
  onMounted(reload);
  return { data, loading, error, reload };
}

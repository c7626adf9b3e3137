import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { getApi } from '../api';
import type { NodeStatus } from '../types';

/**
 * The seat's link to the sync server as the node reports it: online or not, changes waiting, the
 * last sync and a bootstrap's progress. Read once, then kept current by the node's `node.status`
 * events (sent on every change and, throttled, while a bootstrap runs).
 */
export const useSyncStore = defineStore('sync', () => {
  const api = getApi();
  const statusRef = ref<NodeStatus | null>(null);
  let loading: Promise<void> | null = null;

  api.on('node.status', (s) => {
    statusRef.value = s;
  });

  function load(): Promise<void> {
    loading ??= api['node.status']({}).then(
      (s) => {
        statusRef.value = s;
      },
      () => {
        loading = null; // the node is not reachable yet: try again next time
      },
    );
    return loading;
  }

  const status = computed(() => statusRef.value);
  /** The sync link, or null when the node runs alone. */
  const link = computed(() => statusRef.value?.sync ?? null);
  const syncing = computed(() => link.value !== null);
  const online = computed(() => link.value?.online ?? false);
  const pending = computed(() => statusRef.value?.outboxPending ?? 0);
  const lastSyncAt = computed(() => statusRef.value?.lastSyncAt ?? null);
  const progress = computed(() => link.value?.progress ?? null);
  /** The server's address when signing in needs a password. */
  const server = computed(() => link.value?.server ?? null);

  return { status, link, syncing, online, pending, lastSyncAt, progress, server, load };
});

/** "刚刚", "3 分钟前", "2 小时前", or the date, for a last-sync time. */
export function sinceText(iso: string | null, now: number, en: boolean): string | null {
  if (!iso) return null;
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return en ? 'just now' : '刚刚';
  const m = Math.round(s / 60);
  if (m < 60) return en ? `${m} min ago` : `${m} 分钟前`;
  const h = Math.round(m / 60);
  if (h < 48) return en ? `${h} h ago` : `${h} 小时前`;
  return iso.slice(0, 10);
}

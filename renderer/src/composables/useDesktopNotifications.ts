import { onScopeDispose, ref } from 'vue';
import { getApi } from '../api';
import { useSessionStore } from '../stores/session';

type Permission = 'default' | 'granted' | 'denied' | 'unsupported';

function current(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/**
 * Desktop notifications of the seat's rules (`rules.notify`), shown with the browser's
 * Notification API to the signed-in person when they are among its recipients and have allowed
 * it (Electron's permission handler allows it for the app's own pages). `onOpen` runs when the
 * person clicks one (e.g. to open the ticket).
 */
export function useDesktopNotifications(onOpen: (ticketId: string) => void) {
  const api = getApi();
  const session = useSessionStore();
  const permission = ref<Permission>(current());

  const stop = api.on('rules.notify', (n) => {
    const me = session.user?.id;
    if (!me || !n.to.includes(me) || current() !== 'granted') return;
    const shown = new Notification(n.title, { body: n.body, tag: n.id });
    shown.onclick = () => onOpen(n.ticketId);
  });
  onScopeDispose(stop);

  async function ask(): Promise<void> {
    if (typeof Notification === 'undefined') return;
    permission.value = await Notification.requestPermission();
  }

  return { permission, ask };
}

import { useMessage } from 'naive-ui';
import { useRouter } from 'vue-router';
import { getApi } from '../api';
import { useApiError } from './useApiError';
import { useI18n } from './useI18n';

/** The number as people type it: full-width characters folded, spaces dropped, upper case. */
export function normalizeTicketNo(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/**
 * A ticket number typed anywhere goes straight to the ticket: the exact number, or the one ticket
 * whose number contains what was typed (e.g. its last digits); otherwise the person is told.
 */
export function useTicketJump() {
  const api = getApi();
  const router = useRouter();
  const message = useMessage();
  const { report } = useApiError();
  const { t } = useI18n();

  async function jump(text: string): Promise<boolean> {
    const no = normalizeTicketNo(text);
    if (!no) return false;
    try {
      const { rows } = await api['tickets.list']({ text: no, limit: 20, sort: 'createdAt_desc' });
      const exact = rows.find((r) => r.no.toUpperCase() === no);
      const partial = rows.filter((r) => r.no.toUpperCase().includes(no));
      const target = exact ?? (partial.length === 1 ? partial[0] : undefined);
      if (target) {
        await router.push({ name: 'ticket', params: { id: target.id } });
        return true;
      }
      if (partial.length > 1) message.warning(t('jump.ambiguous', { n: partial.length, no }));
      else message.warning(t('jump.notFound', { no }));
      return false;
    } catch (e) {
      report(e);
      return false;
    }
  }

  return { jump };
}

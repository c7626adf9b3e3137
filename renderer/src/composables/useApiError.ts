import { useMessage } from 'naive-ui';
import { useRouter } from 'vue-router';
import { errorBody } from '../api';
import { useSessionStore } from '../stores/session';
import { useI18n } from './useI18n';

/**
 * Tells the person what went wrong with a call, in a message. A lapsed sign-in (the node restarted
 * and forgot this seat's session) sends them back to choose who they are.
 */
export function useApiError() {
  const message = useMessage();
  const router = useRouter();
  const session = useSessionStore();
  const { t } = useI18n();

  function report(e: unknown): void {
    const body = errorBody(e);
    if (body.code === 'not_signed_in') {
      message.warning(t('error.notSignedIn'));
      session.forget();
      void router.push({ name: 'sign-in' });
      return;
    }
    message.error(body.message);
  }

  return { report };
}

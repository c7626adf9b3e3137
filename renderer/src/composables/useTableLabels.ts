import type { TableLabels } from '../export/dashboard-tables';
import { useSessionStore } from '../stores/session';
import { useFormat } from './useFormat';
import { useI18n } from './useI18n';

/** The labels the supervisor view's exported tables are written with, in the console's language. */
export function useTableLabels(): TableLabels {
  const session = useSessionStore();
  const { t, stageLabel, stateLabel } = useI18n();
  const { time } = useFormat();
  return {
    t, stageLabel, stateLabel,
    personName: (id) => session.personName(id),
    time: (iso) => (iso ? time(iso) : ''),
  };
}

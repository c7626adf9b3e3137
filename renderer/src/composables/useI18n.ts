import { computed } from 'vue';
import { ROLE_LABELS, STAGE_LABELS, STATE_LABELS, transitionDef } from '../../../domain';
import en from '../i18n/en';
import zhCN, { type MessageKey, type Messages } from '../i18n/zh-CN';
import { useUiStore } from '../stores/ui';
import type { ActionId, FormField, Locale, Milestone, Role, Stage, TicketState } from '../types';

const dictionaries: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

/** A message with `{name}` placeholders filled in. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[locale][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

type Option = { value: string; label: string; labelEn?: string | undefined };

/**
 * The console's small i18n: `t(key, params)` plus labels for what domain/ names in both
 * languages (states, roles, actions, stages) and for the intake template's fields and options.
 */
export function useI18n() {
  const ui = useUiStore();
  const locale = computed(() => ui.locale);
  const isEn = () => ui.locale === 'en';
  const pick = (l: { zh: string; en: string }) => (isEn() ? l.en : l.zh);

  return {
    locale,
    t: (key: MessageKey, params?: Record<string, string | number>) => translate(ui.locale, key, params),
    stateLabel: (s: TicketState) => pick(STATE_LABELS[s]),
    roleLabel: (r: Role) => pick(ROLE_LABELS[r]),
    actionLabel: (a: ActionId) => {
      const def = transitionDef(a);
      return def ? pick(def.label) : a;
    },
    stageLabel: (s: Stage) => pick(STAGE_LABELS[s]),
    milestoneLabel: (m: Milestone) => translate(ui.locale, `milestone.${m}`),
    fieldLabel: (f: Pick<FormField, 'label' | 'labelEn'>) => (isEn() ? (f.labelEn ?? f.label) : f.label),
    optionLabel: (o: Option) => (isEn() ? (o.labelEn ?? o.label) : o.label),
  };
}

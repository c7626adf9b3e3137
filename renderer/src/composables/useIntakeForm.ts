import { computed, ref, type Ref } from 'vue';
import { activeFields, checkCompleteness } from '../../../domain';
import type { ContractErrorBody, FieldGroup, FormAnswers, FormField, FormProblem, FormTemplate, FormValue } from '../types';
import { useI18n } from './useI18n';

function isBlank(v: FormValue | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  return Array.isArray(v) && v.length === 0;
}

/**
 * An intake form being filled in: the answers, the fields the answers open (故障类型 = 系统 opens
 * 服务器IP…), the live completeness check from domain/, and the problems the node sent back.
 * A field shows its local problem once touched; the missing list is always there.
 */
export function useIntakeForm(template: Ref<FormTemplate | null>) {
  const { locale, t, fieldLabel } = useI18n();
  const answers = ref<FormAnswers>({});
  const touched = ref<Record<string, boolean>>({});
  const serverProblems = ref<Record<string, string>>({});
  const submitted = ref(false);

  const standardFields = computed<FormField[]>(() => template.value?.fields.filter((f) => !f.disabled) ?? []);
  const openGroups = computed<FieldGroup[]>(() =>
    (template.value?.groups ?? []).filter((g) => answers.value[g.when.field] === g.when.eq),
  );

  /** Only what the form asks for now, trimmed; answers of closed groups are left out. */
  const payload = computed<FormAnswers>(() => {
    const tpl = template.value;
    if (!tpl) return {};
    const out: FormAnswers = {};
    for (const f of activeFields(tpl, answers.value)) {
      const v = answers.value[f.key];
      if (v === undefined || isBlank(v)) continue;
      out[f.key] = typeof v === 'string' ? v.trim() : v;
    }
    return out;
  });

  const completeness = computed(() =>
    template.value ? checkCompleteness(template.value, payload.value) : { complete: false, problems: [] as FormProblem[] },
  );

  const fieldsByKey = computed(() => {
    const m = new Map<string, FormField>();
    for (const f of [...(template.value?.fields ?? []), ...(template.value?.groups ?? []).flatMap((g) => g.fields)]) m.set(f.key, f);
    return m;
  });

  /** A problem in the person's language: domain's messages are zh-CN; English rebuilds "required". */
  function problemText(p: FormProblem): string {
    if (locale.value !== 'en') return p.message;
    const f = fieldsByKey.value.get(p.field);
    const label = f ? fieldLabel(f) : p.label;
    return p.code === 'required' ? t('create.required', { label }) : p.message;
  }

  const missing = computed(() => completeness.value.problems.map((p) => ({ field: p.field, text: problemText(p) })));

  function feedback(key: string): string | undefined {
    const server = serverProblems.value[key];
    if (server) return server;
    if (!touched.value[key] && !submitted.value) return undefined;
    const p = completeness.value.problems.find((x) => x.field === key);
    return p ? problemText(p) : undefined;
  }

  function setAnswer(key: string, value: FormValue | null): void {
    const next = { ...answers.value };
    if (value === null) delete next[key];
    else next[key] = value;
    answers.value = next;
    touched.value = { ...touched.value, [key]: true };
    if (serverProblems.value[key]) {
      const rest = { ...serverProblems.value };
      delete rest[key];
      serverProblems.value = rest;
    }
  }

  function touch(key: string): void {
    if (!touched.value[key]) touched.value = { ...touched.value, [key]: true };
  }

  /** Puts the node's verdict on the fields it names. */
  function applyServerError(body: ContractErrorBody): void {
    submitted.value = true;
    const out: Record<string, string> = {};
    for (const p of body.problems ?? []) out[p.field] ??= problemText(p);
    if (body.field && !out[body.field]) out[body.field] = body.message;
    serverProblems.value = out;
  }

  function reset(): void {
    answers.value = {};
    touched.value = {};
    serverProblems.value = {};
    submitted.value = false;
  }

  return {
    answers, standardFields, openGroups, payload, completeness, missing, serverProblems,
    feedback, setAnswer, touch, applyServerError, reset,
  };
}

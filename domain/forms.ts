import { z } from 'zod';
import type { FormAnswers, FormValue } from './ticket';

/**
 * Intake-form templates: typed fields, required flags, and field groups that open when an
 * answer is chosen (故障类型 = 系统 opens 服务器IP …). Built-in validators only — no user regex.
 */
export const FIELD_TYPES = ['text', 'textarea', 'phone', 'select', 'radio', 'datetime', 'number', 'ipv4', 'location', 'attachments'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const fieldOptionSchema = z.object({ value: z.string().min(1), label: z.string().min(1), labelEn: z.string().optional() });

export const formFieldSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, 'field keys are lower_snake_case'),
  label: z.string().min(1),
  labelEn: z.string().optional(),
  type: z.enum(FIELD_TYPES),
  required: z.boolean().default(false),
  disabled: z.boolean().default(false),
  options: z.array(fieldOptionSchema).optional(),
  /** What to tell the person when a required field is empty, e.g. 请补充服务器IP以便远程诊断. */
  requiredMessage: z.string().optional(),
  placeholder: z.string().optional(),
  maxLength: z.number().int().positive().optional(),
});
export type FormField = z.infer<typeof formFieldSchema>;

export const fieldGroupSchema = z.object({
  /** The group opens when this field has this answer. */
  when: z.object({ field: z.string(), eq: z.string() }),
  title: z.string(),
  fields: z.array(formFieldSchema),
});
export type FieldGroup = z.infer<typeof fieldGroupSchema>;

export const formTemplateSchema = z
  .object({
    id: z.string().min(1),
    version: z.number().int().positive(),
    name: z.string().min(1),
    fields: z.array(formFieldSchema).min(1),
    groups: z.array(fieldGroupSchema).default([]),
  })
  .superRefine((t, ctx) => {
    const keys = new Set<string>();
    for (const f of [...t.fields, ...t.groups.flatMap((g) => g.fields)]) {
      if (keys.has(f.key)) ctx.addIssue({ code: 'custom', message: `duplicate field key "${f.key}"`, path: ['fields'] });
      keys.add(f.key);
      if ((f.type === 'select' || f.type === 'radio') && !f.options?.length) {
        ctx.addIssue({ code: 'custom', message: `field "${f.key}" (${f.type}) needs options`, path: ['fields'] });
      }
    }
    for (const g of t.groups) {
      if (!t.fields.some((f) => f.key === g.when.field)) {
        ctx.addIssue({ code: 'custom', message: `group "${g.title}" opens on unknown field "${g.when.field}"`, path: ['groups'] });
      }
    }
  });
export type FormTemplate = z.infer<typeof formTemplateSchema>;

/** A field the form asks for right now: the standard fields plus the groups the answers opened. */
export function activeFields(template: FormTemplate, answers: FormAnswers): FormField[] {
  const fields = template.fields.filter((f) => !f.disabled);
  for (const g of template.groups) {
    if (answers[g.when.field] === g.when.eq) fields.push(...g.fields.filter((f) => !f.disabled));
  }
  return fields;
}

export interface FormProblem {
  field: string;
  label: string;
  code: 'required' | 'invalid_option' | 'invalid_format' | 'too_long' | 'unknown_field';
  message: string;
}

export interface Completeness {
  complete: boolean;
  problems: FormProblem[];
}

function isEmpty(v: FormValue | undefined): boolean {
  if (v === undefined) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PHONE = /^[0-9+\-\s()]{5,20}$/;

function formatProblem(field: FormField, v: FormValue): FormProblem | null {
  const bad = (code: FormProblem['code'], message: string): FormProblem => ({ field: field.key, label: field.label, code, message });
  if ((field.type === 'select' || field.type === 'radio') && field.options) {
    if (typeof v !== 'string' || !field.options.some((o) => o.value === v)) {
      return bad('invalid_option', `${field.label}：请选择列表中的选项`);
    }
  }
  if (field.type === 'ipv4' && (typeof v !== 'string' || !IPV4.test(v.trim()))) {
    return bad('invalid_format', `${field.label}：IP 地址格式不正确（例如 192.168.1.10）`);
  }
  if (field.type === 'phone' && (typeof v !== 'string' || !PHONE.test(v.trim()))) {
    return bad('invalid_format', `${field.label}：电话号码格式不正确`);
  }
  if (field.type === 'number' && typeof v !== 'number' && (typeof v !== 'string' || Number.isNaN(Number(v)))) {
    return bad('invalid_format', `${field.label}：请输入数字`);
  }
  if (field.type === 'attachments' && !Array.isArray(v)) return bad('invalid_format', `${field.label}：附件格式不正确`);
  const max = field.maxLength ?? (field.type === 'textarea' ? 5000 : 200);
  if (typeof v === 'string' && v.length > max) return bad('too_long', `${field.label}：最多 ${max} 个字`);
  return null;
}

/**
 * Checks answers against a template: every required field of the standard part and of the opened
 * groups, option membership and formats. Messages are for the person at the form.
 */
export function checkCompleteness(template: FormTemplate, answers: FormAnswers): Completeness {
  const problems: FormProblem[] = [];
  for (const field of activeFields(template, answers)) {
    const v = answers[field.key];
    if (isEmpty(v)) {
      if (field.required) {
        problems.push({ field: field.key, label: field.label, code: 'required', message: field.requiredMessage ?? `请填写${field.label}` });
      }
      continue;
    }
    const p = formatProblem(field, v as FormValue);
    if (p) problems.push(p);
  }
  return { complete: problems.length === 0, problems };
}

/** Keys a template knows (any group), so unknown answers can be refused at the boundary. */
export function knownFieldKeys(template: FormTemplate): Set<string> {
  return new Set([...template.fields, ...template.groups.flatMap((g) => g.fields)].map((f) => f.key));
}

/** Unknown answers are refused rather than silently stored. */
export function unknownAnswers(template: FormTemplate, answers: FormAnswers): FormProblem[] {
  const known = knownFieldKeys(template);
  return Object.keys(answers)
    .filter((k) => !known.has(k))
    .map((k) => ({ field: k, label: k, code: 'unknown_field' as const, message: `表单没有字段“${k}”` }));
}

/**
 * A site's intake form, versioned like the rulebook: one document per site that keeps every
 * published version. Intake uses `current`; a ticket records the version it was created with
 * (`formVersion`), so its answers are always read with the fields they were given for.
 */
export const formVersionSchema = z.object({
  version: z.number().int().positive(),
  template: formTemplateSchema,
  /** Who published it (a person id); null for the site's built-in template. */
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  seat: z.string().nullable(),
  note: z.string().max(500).nullable(),
});
export type FormVersion = z.infer<typeof formVersionSchema>;

export const siteFormsSchema = z
  .object({
    kind: z.literal('closeloop.forms'),
    site: z.string().min(1),
    /** The version intake uses: the last one published. */
    current: z.number().int().positive(),
    /** Oldest first; never edited or removed. */
    versions: z.array(formVersionSchema).min(1),
  })
  .superRefine((d, ctx) => {
    d.versions.forEach((v, i) => {
      if (v.template.version !== v.version) ctx.addIssue({ code: 'custom', message: `version ${v.version} holds a template of version ${v.template.version}`, path: ['versions', i] });
      const prev = d.versions[i - 1];
      if (prev && prev.version >= v.version) ctx.addIssue({ code: 'custom', message: 'versions must ascend', path: ['versions', i] });
    });
    if (!d.versions.some((v) => v.version === d.current)) ctx.addIssue({ code: 'custom', message: `no version ${d.current}`, path: ['current'] });
  });
export type SiteForms = z.infer<typeof siteFormsSchema>;

/** What an admin publishes: the template's name, fields and groups (id and version are assigned). */
export const formDraftSchema = z.object({
  name: z.string().min(1).max(100),
  fields: z.array(formFieldSchema).min(1).max(100),
  groups: z.array(fieldGroupSchema).max(50).default([]),
});
export type FormDraft = z.input<typeof formDraftSchema>;

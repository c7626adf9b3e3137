import type { FieldGroup, FormDraft, FormField, FormTemplate } from '../types';

/** A draft of the next intake-form version: the template's name, fields and groups, edited in place. */
export interface Draft {
  name: string;
  fields: FormField[];
  groups: FieldGroup[];
}

export type DraftChange =
  | { kind: 'added'; key: string; label: string; required: boolean }
  | { kind: 'disabled' | 'enabled' | 'required' | 'optional'; key: string; label: string };

/** A deep copy of the template's editable part (a JSON copy: the template may be a reactive proxy, which structuredClone refuses). */
export function draftOf(t: FormTemplate): Draft {
  return JSON.parse(JSON.stringify({ name: t.name, fields: t.fields, groups: t.groups })) as Draft;
}

export function toFormDraft(d: Draft): FormDraft {
  return { name: d.name, fields: d.fields, groups: d.groups };
}

const all = (d: Pick<Draft, 'fields' | 'groups'>): FormField[] => [...d.fields, ...d.groups.flatMap((g) => g.fields)];

/** Fields that stay on: the title and every field a group opens on. */
export function lockedKeys(d: Pick<Draft, 'groups'>): Set<string> {
  return new Set(['title', ...d.groups.map((g) => g.when.field)]);
}

/** What the draft changes against the version in force, in the template's order. */
export function draftChanges(base: FormTemplate, d: Draft): DraftChange[] {
  const before = new Map(all(base).map((f) => [f.key, f]));
  const out: DraftChange[] = [];
  for (const f of all(d)) {
    const b = before.get(f.key);
    if (!b) {
      out.push({ kind: 'added', key: f.key, label: f.label, required: f.required });
      continue;
    }
    if (b.disabled !== f.disabled) out.push({ kind: f.disabled ? 'disabled' : 'enabled', key: f.key, label: f.label });
    if (b.required !== f.required) out.push({ kind: f.required ? 'required' : 'optional', key: f.key, label: f.label });
  }
  return out;
}

/** Changes one field of the draft (standard part or a group) by key. */
export function patchField(d: Draft, key: string, patch: Partial<FormField>): Draft {
  const apply = (f: FormField) => (f.key === key ? { ...f, ...patch } : f);
  return { ...d, fields: d.fields.map(apply), groups: d.groups.map((g) => ({ ...g, fields: g.fields.map(apply) })) };
}

export const KEY = /^[a-z][a-z0-9_]*$/;

/** A new dropdown for the standard part, or what is wrong with it (message keys). */
export function newDropdown(d: Draft, input: { label: string; key: string; options: string[]; required: boolean }):
  { ok: true; field: FormField } | { ok: false; problem: 'forms.add.noLabel' | 'forms.add.badKey' | 'forms.add.duplicate' | 'forms.add.noOptions' } {
  const label = input.label.trim();
  const key = input.key.trim();
  const options = [...new Set(input.options.map((o) => o.trim()).filter(Boolean))];
  if (!label) return { ok: false, problem: 'forms.add.noLabel' };
  if (!KEY.test(key)) return { ok: false, problem: 'forms.add.badKey' };
  if (all(d).some((f) => f.key === key)) return { ok: false, problem: 'forms.add.duplicate' };
  if (options.length < 2) return { ok: false, problem: 'forms.add.noOptions' };
  return {
    ok: true,
    field: { key, label, type: 'select', required: input.required, disabled: false, options: options.map((value) => ({ value, label: value })) },
  };
}

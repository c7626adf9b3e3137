import { formDraftSchema, formTemplateSchema, type FormDraft, type FormField, type FormTemplate, type FormVersion, type SiteForms } from './forms';

/**
 * Publishing intake-form versions (pure: who and when are arguments). A new version may add
 * fields, disable them, make them required or change labels and options; it may not delete a
 * field or change its type, because tickets created with older versions keep their answers under
 * those keys. Messages are for the admin at the form editor.
 */

/** The document a site starts with: its built-in template as the only version. */
export function initialForms(site: string, builtIn: FormTemplate): SiteForms {
  return {
    kind: 'closeloop.forms',
    site,
    current: builtIn.version,
    versions: [{ version: builtIn.version, template: builtIn, publishedBy: null, publishedAt: null, seat: null, note: null }],
  };
}

export function currentVersion(doc: SiteForms): FormVersion {
  return doc.versions.find((v) => v.version === doc.current) ?? doc.versions[doc.versions.length - 1]!;
}

export function formOfVersion(doc: SiteForms, version: number): FormTemplate | null {
  return doc.versions.find((v) => v.version === version)?.template ?? null;
}

export interface PublishedBy {
  user: string;
  seat: string;
  /** ISO instant. */
  at: string;
  note?: string | undefined;
}

export type PublishResult = { ok: true; doc: SiteForms; version: FormVersion } | { ok: false; problems: string[] };

const allFields = (t: Pick<FormTemplate, 'fields' | 'groups'>): FormField[] => [...t.fields, ...t.groups.flatMap((g) => g.fields)];

/** Fields that must stay on: the title, and every field a group opens on (e.g. 故障类型). */
function lockedKeys(t: Pick<FormTemplate, 'groups'>): Set<string> {
  return new Set(['title', ...t.groups.map((g) => g.when.field)]);
}

/** Why `next` may not follow `prev`, in words; empty when it may. */
export function evolutionProblems(prev: FormTemplate, next: Pick<FormTemplate, 'fields' | 'groups'>): string[] {
  const problems: string[] = [];
  const after = new Map(allFields(next).map((f) => [f.key, f]));
  for (const f of allFields(prev)) {
    const n = after.get(f.key);
    if (!n) problems.push(`字段“${f.label}”（${f.key}）不能删除：旧工单仍有它的答案，请改为停用`);
    else if (n.type !== f.type) problems.push(`字段“${f.label}”的类型不能从 ${f.type} 改为 ${n.type}：请新增一个字段`);
  }
  const locked = lockedKeys(next);
  for (const f of next.fields) {
    if (f.disabled && locked.has(f.key)) problems.push(`字段“${f.label}”不能停用：${f.key === 'title' ? '每张工单都需要标题' : '它决定打开哪组字段'}`);
  }
  return problems;
}

/** Publishes a draft as the next version; the document is returned new, never changed in place. */
export function publishForm(doc: SiteForms, draft: FormDraft, by: PublishedBy): PublishResult {
  const parsedDraft = formDraftSchema.safeParse(draft);
  if (!parsedDraft.success) return { ok: false, problems: parsedDraft.error.issues.map((i) => `${i.path.join('.')}：${i.message}`) };
  const prev = currentVersion(doc).template;
  const version = Math.max(...doc.versions.map((v) => v.version)) + 1;
  const parsed = formTemplateSchema.safeParse({ ...parsedDraft.data, id: prev.id, version });
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => i.message) };
  const template = parsed.data;
  const problems = evolutionProblems(prev, template);
  if (problems.length > 0) return { ok: false, problems };
  if (sameForm(prev, template)) return { ok: false, problems: ['与当前版本相同，无需发布'] };
  const entry: FormVersion = { version, template, publishedBy: by.user, publishedAt: by.at, seat: by.seat, note: by.note?.trim() || null };
  return { ok: true, doc: { ...doc, current: version, versions: [...doc.versions, entry] }, version: entry };
}

function sameForm(a: FormTemplate, b: FormTemplate): boolean {
  return JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });
}

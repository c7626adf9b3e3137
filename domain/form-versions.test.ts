import { describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE } from './demo-template';
import { currentVersion, formOfVersion, initialForms, publishForm } from './form-versions';
import { checkCompleteness, siteFormsSchema, type FormField } from './forms';
import { COMPLETE_SYSTEM_FORM } from './testing/fixtures';

const BY = { user: 'admin', seat: 'AB', at: '2026-11-24T01:00:00.000Z' };
const draftOf = (fields: FormField[], name = DEMO_TEMPLATE.name) => ({ name, fields, groups: DEMO_TEMPLATE.groups });

describe('versioned intake forms', () => {
  it('starts a site with its built-in template as version 1', () => {
    const doc = initialForms('mx-plant', DEMO_TEMPLATE);
    expect(siteFormsSchema.safeParse(doc).success).toBe(true);
    expect(currentVersion(doc).template).toBe(DEMO_TEMPLATE);
    expect(currentVersion(doc).publishedBy).toBeNull();
  });

  it('publishes a version that disables 备注 and adds a required dropdown, keeping the old one', () => {
    const doc = initialForms('mx-plant', DEMO_TEMPLATE);
    const fields: FormField[] = [
      ...DEMO_TEMPLATE.fields.map((f) => (f.key === 'remark' ? { ...f, disabled: true } : f)),
      { key: 'shift', label: '报修班次', type: 'select', required: true, disabled: false, options: [{ value: '白班', label: '白班' }, { value: '夜班', label: '夜班' }] },
    ];
    const r = publishForm(doc, { ...draftOf(fields), }, { ...BY, note: '停用备注，增加班次' });
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(r.doc.current).toBe(2);
    expect(r.doc.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(r.version).toMatchObject({ publishedBy: 'admin', note: '停用备注，增加班次' });
    expect(siteFormsSchema.safeParse(r.doc).success).toBe(true);
    expect(formOfVersion(r.doc, 1)).toBe(DEMO_TEMPLATE);
    const v2 = formOfVersion(r.doc, 2)!;
    expect(checkCompleteness(v2, COMPLETE_SYSTEM_FORM).problems.map((p) => p.message)).toEqual(['请填写报修班次']);
    expect(checkCompleteness(v2, { ...COMPLETE_SYSTEM_FORM, shift: '夜班' }).complete).toBe(true);
    expect(doc.versions).toHaveLength(1); // the old document is left as it was
  });

  it('refuses to delete a field, change its type, disable the title or the fault type, or publish no change', () => {
    const doc = initialForms('mx-plant', DEMO_TEMPLATE);
    const without = publishForm(doc, draftOf(DEMO_TEMPLATE.fields.filter((f) => f.key !== 'remark')), BY);
    expect(without).toEqual({ ok: false, problems: ['字段“备注”（remark）不能删除：旧工单仍有它的答案，请改为停用'] });
    const retyped = publishForm(doc, draftOf(DEMO_TEMPLATE.fields.map((f) => (f.key === 'device' ? { ...f, type: 'number' as const } : f))), BY);
    expect(retyped.ok ? [] : retyped.problems).toEqual(['字段“设备编号”的类型不能从 text 改为 number：请新增一个字段']);
    const locked = publishForm(doc, draftOf(DEMO_TEMPLATE.fields.map((f) => (f.key === 'title' || f.key === 'fault_type' ? { ...f, disabled: true } : f))), BY);
    expect(locked.ok ? 0 : locked.problems.length).toBe(2);
    expect(publishForm(doc, draftOf(DEMO_TEMPLATE.fields), BY)).toEqual({ ok: false, problems: ['与当前版本相同，无需发布'] });
  });

  it('refuses a duplicate field key, naming it', () => {
    const doc = initialForms('mx-plant', DEMO_TEMPLATE);
    const r = publishForm(doc, draftOf([...DEMO_TEMPLATE.fields, { key: 'remark', label: '备注2', type: 'text', required: false, disabled: false }]), BY);
    expect(r.ok ? [] : r.problems).toEqual(['duplicate field key "remark"']);
  });
});

import { reactive } from 'vue';
import { describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE } from '../../../domain';
import { draftChanges, draftOf, lockedKeys, newDropdown, patchField } from './form-draft';

describe('a draft of the next intake form', () => {
  it('lists what it changes: 备注 off, a required dropdown added, a field made required', () => {
    let d = draftOf(DEMO_TEMPLATE);
    expect(draftChanges(DEMO_TEMPLATE, d)).toEqual([]);
    d = patchField(d, 'remark', { disabled: true });
    d = patchField(d, 'server_ip', { required: false });
    const added = newDropdown(d, { label: '报修班次', key: 'shift', options: ['白班', '夜班', '白班'], required: true });
    if (!added.ok) throw new Error(added.problem);
    expect(added.field.options?.map((o) => o.value)).toEqual(['白班', '夜班']);
    d = { ...d, fields: [...d.fields, added.field] };
    expect(draftChanges(DEMO_TEMPLATE, d)).toEqual([
      { kind: 'disabled', key: 'remark', label: '备注' },
      { kind: 'added', key: 'shift', label: '报修班次', required: true },
      { kind: 'optional', key: 'server_ip', label: '服务器IP' },
    ]);
    expect(DEMO_TEMPLATE.fields.find((f) => f.key === 'remark')?.disabled).toBe(false); // the template is left alone
  });

  it('copies a template held in reactive state (the store’s), leaving it alone', () => {
    const held = reactive(structuredClone(DEMO_TEMPLATE));
    const d = patchField(draftOf(held), 'remark', { disabled: true });
    expect(draftChanges(held, d)).toEqual([{ kind: 'disabled', key: 'remark', label: '备注' }]);
  });

  it('says what is wrong with a new dropdown', () => {
    const d = draftOf(DEMO_TEMPLATE);
    expect(newDropdown(d, { label: '', key: 'x', options: ['a', 'b'], required: false })).toEqual({ ok: false, problem: 'forms.add.noLabel' });
    expect(newDropdown(d, { label: 'X', key: 'Bad Key', options: ['a', 'b'], required: false })).toEqual({ ok: false, problem: 'forms.add.badKey' });
    expect(newDropdown(d, { label: 'X', key: 'server_ip', options: ['a', 'b'], required: false })).toEqual({ ok: false, problem: 'forms.add.duplicate' });
    expect(newDropdown(d, { label: 'X', key: 'x', options: ['a', ' '], required: false })).toEqual({ ok: false, problem: 'forms.add.noOptions' });
  });

  it('keeps the title and the fault type on', () => {
    expect([...lockedKeys(draftOf(DEMO_TEMPLATE))]).toEqual(['title', 'fault_type']);
  });
});

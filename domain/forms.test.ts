import { describe, expect, it } from 'vitest';
import { activeFields, checkCompleteness, formTemplateSchema } from './forms';
import { DEMO_TEMPLATE } from './demo-template';
import { COMPLETE_SYSTEM_FORM } from './testing/fixtures';

describe('intake form completeness', () => {
  it('asks for the server IP when 系统 is chosen without one', () => {
    const { server_ip: _ip, ...answers } = COMPLETE_SYSTEM_FORM;
    const c = checkCompleteness(DEMO_TEMPLATE, answers);
    expect(c.complete).toBe(false);
    expect(c.problems).toEqual([{ field: 'server_ip', label: '服务器IP', code: 'required', message: '请补充服务器IP以便远程诊断' }]);
  });
  it('is complete with the IP given', () => {
    expect(checkCompleteness(DEMO_TEMPLATE, COMPLETE_SYSTEM_FORM)).toEqual({ complete: true, problems: [] });
  });
  it('opens the group of the chosen fault type only', () => {
    const keys = activeFields(DEMO_TEMPLATE, { fault_type: '网络' }).map((f) => f.key);
    expect(keys).toContain('ping_gateway');
    expect(keys).not.toContain('server_ip');
    expect(activeFields(DEMO_TEMPLATE, {}).map((f) => f.key)).toHaveLength(13); // the 12 standard fields and 备注
  });
  it('names every missing standard field of an empty form', () => {
    const c = checkCompleteness(DEMO_TEMPLATE, {});
    expect(c.problems.map((p) => p.field)).toEqual(['title', 'requester_name', 'requester_phone', 'area', 'location', 'fault_type', 'description', 'urgency', 'owner_cooperation']);
    expect(c.problems[0]!.message).toBe('请填写标题');
  });
  it('refuses an IP in the wrong format and an option not in the list', () => {
    const c = checkCompleteness(DEMO_TEMPLATE, { ...COMPLETE_SYSTEM_FORM, server_ip: '300.1.1.1', urgency: '明天' });
    expect(c.problems.map((p) => [p.field, p.code])).toEqual([['urgency', 'invalid_option'], ['server_ip', 'invalid_format']]);
  });
  it('treats whitespace as empty', () => {
    expect(checkCompleteness(DEMO_TEMPLATE, { ...COMPLETE_SYSTEM_FORM, title: '   ' }).problems[0]?.field).toBe('title');
  });
  it('skips a disabled field even if it was required', () => {
    const t = { ...DEMO_TEMPLATE, fields: DEMO_TEMPLATE.fields.map((f) => (f.key === 'owner_cooperation' ? { ...f, disabled: true } : f)) };
    const { owner_cooperation: _o, ...answers } = COMPLETE_SYSTEM_FORM;
    expect(checkCompleteness(t, answers).complete).toBe(true);
  });
  it('validates templates: duplicate keys, options, groups on unknown fields', () => {
    expect(formTemplateSchema.safeParse(DEMO_TEMPLATE).success).toBe(true);
    const bad = { ...DEMO_TEMPLATE, fields: [...DEMO_TEMPLATE.fields, { key: 'title', label: '重复', type: 'text' }] };
    expect(formTemplateSchema.safeParse(bad).error?.issues[0]?.message).toBe('duplicate field key "title"');
    const noOpts = { ...DEMO_TEMPLATE, fields: [{ key: 'x', label: 'X', type: 'select' }] , groups: [] };
    expect(formTemplateSchema.safeParse(noOpts).error?.issues[0]?.message).toBe('field "x" (select) needs options');
  });
});

import { describe, expect, it } from 'vitest';
import { renderText, renderValue, templateProblems, valueProblems } from './template';

const vars = { ticket: { no: 'MX20260218-0872', title: '主轴异响', tags: ['夜间直派'] }, text: '工单 MX20260218-0872', payload: { records: [{ no: 'MX1' }, { no: 'MX2' }] }, recipient: { phone: '13800000001' } };

describe('connector templates', () => {
  it('fills placeholders, leaving unknown nested names empty', () => {
    expect(renderText('{{ticket.no}} {{ ticket.title }}: {{ticket.missing}}!', vars)).toBe('MX20260218-0872 主轴异响: !');
    expect(renderText('https://sms/send?to={{recipient.phone}}&t={{text}}', vars, encodeURIComponent)).toBe('https://sms/send?to=13800000001&t=%E5%B7%A5%E5%8D%95%20MX20260218-0872');
  });

  it('puts whole values where a string is exactly one placeholder', () => {
    expect(renderValue({ records: '{{payload.records}}', tag: '红色预警', no: 'no {{ticket.no}}', n: 3 }, vars)).toEqual({ records: [{ no: 'MX1' }, { no: 'MX2' }], tag: '红色预警', no: 'no MX20260218-0872', n: 3 });
  });

  it('names malformed templates: unclosed, empty, unknown roots, stray braces', () => {
    expect(templateProblems('{{ticket.no')).toEqual(['an unclosed "{{"']);
    expect(templateProblems('{{}}')).toEqual(['an empty placeholder {{}}']);
    expect(templateProblems('{{secret.key}}')[0]).toMatch(/unknown placeholder \{\{secret.key\}\}/);
    expect(templateProblems('a }} b')).toEqual(['a "}}" without its "{{"']);
    expect(templateProblems('{{ticket no}}')[0]).toMatch(/is not a name/);
    expect(valueProblems({ a: [{ b: '{{nope}}' }] })).toEqual([{ path: ['a', 0, 'b'], message: expect.stringMatching(/unknown placeholder/) }]);
  });
});

import { describe, expect, it } from 'vitest';
import { describeDiff, type Evidence, type EvidenceRow } from './evidence';
import { evidenceCsv, evidenceHtml } from './evidence-print';

const row = (p: Partial<EvidenceRow>): EvidenceRow => ({
  auditId: 1, at: '2026-02-18T08:00:00.000Z', kind: 'change', site: 'mx-plant', ticketNo: 'MX20260218-0872', ticketId: 't1', user: 'zhang.wei', device: 'pc-1', seat: 'AB',
  change: 'ab'.repeat(32), seatTime: '', action: 'dispatch (zhang.wei)', field: 'assignee', before: 'null', after: '"liu.tech"', reason: '', ...p,
});

describe('audit evidence', () => {
  it('lists changed fields two levels deep and what lists gained', () => {
    const before = { state: 'dispatched', assignee: null, milestones: { created: 'a' }, comments: [{ id: 1 }], updatedAt: 'x', audit: [] };
    const after = { state: 'in_progress', assignee: null, milestones: { created: 'a', accepted: 'b' }, comments: [{ id: 1 }, { id: 2 }], updatedAt: 'y', audit: [{}] };
    expect(describeDiff(before, after)).toEqual([
      { field: 'state', before: 'dispatched', after: 'in_progress' },
      { field: 'milestones.accepted', before: '', after: 'b' },
      { field: 'comments[+]', before: '', after: '[{"id":2}]' },
    ]);
  });

  it('writes CSV that Excel opens in Chinese and cannot run as formulas', () => {
    const e: Evidence = { scope: { ticket: 'MX20260218-0872' }, generatedAt: '2026-03-01T00:00:00.000Z', tickets: 1, changes: 1, rows: [row({ after: '=HYPERLINK("http://x")', reason: 'a,b\nc' })] };
    const csv = evidenceCsv(e);
    expect(csv.startsWith('\ufeff时间 time (server),')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain('"a,b\nc"');
  });

  it('escapes the printable report', () => {
    const html = evidenceHtml({ scope: { from: '2026-02-01', to: '2026-03-01' }, generatedAt: 'now', tickets: 1, changes: 1, rows: [row({ after: '<script>alert(1)</script>' })] });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});

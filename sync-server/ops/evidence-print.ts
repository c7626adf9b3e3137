import type { Evidence, EvidenceRow } from './evidence';
import type { VerifyReport } from './verify';

/** CSV (UTF-8 with BOM for Excel; cells that a spreadsheet would run as formulas are quoted as text) and a printable HTML page. */
const COLUMNS: [keyof EvidenceRow, string][] = [
  ['at', '时间 time (server)'], ['kind', '类型 kind'], ['site', '站点 site'], ['ticketNo', '工单号 ticket'], ['user', '用户 user'], ['device', '设备 device'],
  ['seat', '席位 seat'], ['action', '操作 action'], ['field', '字段 field'], ['before', '修改前 before'], ['after', '修改后 after'], ['reason', '原因 reason'],
  ['change', '变更哈希 change'], ['seatTime', '席位时间 seat time'], ['ticketId', 'ticket id'], ['auditId', 'audit id'],
];

function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function evidenceCsv(e: Evidence): string {
  const lines = [COLUMNS.map(([, h]) => cell(h)).join(',')];
  for (const r of e.rows) lines.push(COLUMNS.map(([k]) => cell(r[k])).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function evidenceHtml(e: Evidence, verify?: VerifyReport): string {
  const scope = e.scope.ticket ? `工单 ticket ${esc(e.scope.ticket)}${e.scope.ticketId ? ` (${esc(e.scope.ticketId)})` : ''}` : `${esc(e.scope.from ?? '…')} — ${esc(e.scope.to ?? '…')}`;
  const check = verify
    ? verify.ok
      ? `<p class="ok">完整性校验通过 Integrity check passed: ${verify.audit.lines} audit lines (${verify.audit.sealed} sealed, chain head ${esc(verify.audit.head?.seal.slice(0, 16) ?? '—')}…), ${verify.history.changes} changes of ${verify.history.tickets} tickets.</p>`
      : `<p class="bad">完整性校验发现问题 Integrity check FOUND PROBLEMS (${verify.problems.length + verify.more}):</p><ul>${verify.problems.slice(0, 20).map((p) => `<li>${esc(p.kind)}: ${esc(p.message)}</li>`).join('')}</ul>`
    : '';
  const cols = COLUMNS.slice(0, 13);
  const body = e.rows.map((r) => `<tr class="${esc(r.kind)}">${cols.map(([k]) => `<td>${esc(k === 'change' ? String(r[k] ?? '').slice(0, 12) : r[k])}</td>`).join('')}</tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>审计证据 Audit evidence — ${scope}</title>
<style>
body{font:12px/1.4 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:16px;color:#111}
h1{font-size:18px;margin:0 0 4px}.meta{color:#444;margin:0 0 8px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:2px 4px;vertical-align:top;word-break:break-all}
th{background:#eee;text-align:left}tr:nth-child(even) td{background:#fafafa}
.ok{color:#065f46}.bad{color:#b91c1c;font-weight:bold}
@media print{@page{size:A4 landscape;margin:10mm}body{margin:0}thead{display:table-header-group}tr{page-break-inside:avoid}}
</style></head><body>
<h1>Closeloop 审计证据 Audit evidence</h1>
<p class="meta">范围 Scope: ${scope} · 生成时间 Generated: ${esc(e.generatedAt)} · ${e.rows.length} rows · ${e.changes} changes of ${e.tickets} tickets</p>
${check}
<table><thead><tr>${cols.map(([, h]) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table>
<p class="meta">变更哈希为 Automerge 变更的 SHA-256（前 12 位）；完整值见 CSV。Change hashes are Automerge SHA-256 (first 12 hex digits); the CSV has them in full.</p>
</body></html>
`;
}

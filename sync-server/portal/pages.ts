import encodeQR from '@paulmillr/qr';
import { ROLE_LABELS, STATE_LABELS, transitionDef, type FormField, type FormTemplate, type Ticket } from '../../domain';

/**
 * The portal's pages: plain HTML made for phones (one column, large tap targets), no framework;
 * the only script is /portal/app.js (photo uploads and the report's JSON), so the pages run under
 * a CSP without inline scripts. Everything the requester typed is escaped.
 */
export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f6f8;color:#1f2329}
main{max-width:560px;margin:0 auto;padding:16px}h1{font-size:20px;margin:8px 0 16px}label{display:block;margin:12px 0 4px;font-weight:600}
input,select,textarea{box-sizing:border-box;width:100%;font-size:16px;padding:10px;border:1px solid #c9cdd4;border-radius:8px;background:#fff}
button{width:100%;font-size:17px;padding:12px;margin-top:16px;border:0;border-radius:8px;background:#18a058;color:#fff}
button.warn{background:#d03050}.req:after{content:" *";color:#d03050}.card{background:#fff;border-radius:10px;padding:14px;margin:12px 0}
.muted{color:#86909c;font-size:14px}.thumbs{display:flex;flex-wrap:wrap;gap:8px}.thumbs img{width:96px;height:96px;object-fit:cover;border-radius:6px}
#error{color:#d03050;white-space:pre-wrap}.state{display:inline-block;padding:2px 10px;border-radius:12px;background:#e8f3ff;color:#2080f0}
ol{padding-left:20px}.sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}.sheet svg{width:180px;height:180px}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main><script src="/portal/app.js" defer></script></body></html>`;
}

function fieldInput(f: FormField, value: string): string {
  const name = `f.${f.key}`;
  const common = `name="${esc(name)}" id="${esc(name)}" data-testid="portal-${esc(f.key)}"`;
  if (f.type === 'textarea') return `<textarea ${common} rows="4" maxlength="${f.maxLength ?? 2000}">${esc(value)}</textarea>`;
  if ((f.type === 'select' || f.type === 'radio') && f.options) {
    const opts = f.options.map((o) => `<option value="${esc(o.value)}"${o.value === value ? ' selected' : ''}>${esc(o.label)}</option>`).join('');
    return `<select ${common}><option value="">请选择</option>${opts}</select>`;
  }
  const type = f.type === 'phone' ? 'tel' : f.type === 'number' ? 'number' : f.type === 'datetime' ? 'datetime-local' : 'text';
  return `<input ${common} type="${type}" value="${esc(value)}" maxlength="${f.maxLength ?? 200}">`;
}

function fieldBlock(f: FormField, prefill: Record<string, string>): string {
  if (f.disabled || f.type === 'attachments') return '';
  return `<label for="f.${esc(f.key)}" class="${f.required ? 'req' : ''}">${esc(f.label)}</label>${fieldInput(f, prefill[f.key] ?? '')}`;
}

/** The report form: the site's intake form (groups open with their answer), photos from the camera. */
export function reportPage(site: { id: string; name: string }, template: FormTemplate, prefill: Record<string, string>): string {
  const standard = template.fields.map((f) => fieldBlock(f, prefill)).join('');
  const groups = template.groups
    .map((g) => `<div class="group" data-when-field="${esc(g.when.field)}" data-when-eq="${esc(g.when.eq)}" hidden>${g.fields.map((f) => fieldBlock(f, prefill)).join('')}</div>`)
    .join('');
  const photosRequired = [...template.fields, ...template.groups.flatMap((g) => g.fields)].some((f) => f.type === 'attachments' && f.required && !f.disabled);
  return page(`报修 · ${site.name}`, `<h1>报修 · ${esc(site.name)}</h1>
<form id="report" data-site="${esc(site.id)}" data-testid="portal-report">
<div class="card">${standard}${groups}</div>
<div class="card"><label class="${photosRequired ? 'req' : ''}">现场照片</label>
<input type="file" accept="image/*" capture="environment" multiple data-photos data-testid="portal-photos">
<div class="thumbs" data-thumbs></div><p class="muted">照片会去除位置等信息；每张不超过 15 MB。</p></div>
<p id="error" role="alert"></p><button type="submit" data-testid="portal-submit">提交报修</button></form>`);
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** The follow page: where the ticket is, its timeline in plain words, photos, and the verification buttons. */
export function followPage(t: Ticket, token: string, zoneNow: (iso: string) => string = when): string {
  const state = STATE_LABELS[t.state].zh;
  const steps = t.audit
    .map((e) => {
      const what = e.action === 'create' ? '提交报修' : (transitionDef(e.action)?.label.zh ?? e.action);
      return `<li>${esc(zoneNow(e.at))} · ${esc(what)}（${esc(ROLE_LABELS[e.kind].zh)}）${e.note ? `：${esc(e.note)}` : ''}</li>`;
    })
    .join('');
  const photos = t.attachments
    .map((a) => `<a href="/portal/f/${esc(token)}/blob/${a.hash}"><img alt="${esc(a.name)}" src="/portal/f/${esc(token)}/blob/${a.thumb ?? a.hash}"></a>`)
    .join('');
  const verify = t.state === 'pending_verification'
    ? `<form method="post" action="/portal/f/${esc(token)}/decide" class="card" data-testid="portal-verify">
<p>维修已完成，请确认：</p><button name="decision" value="accept" data-testid="portal-accept">验收通过</button>
<label for="reason">仍有问题？请说明</label><textarea id="reason" name="reason" rows="3" maxlength="2000" data-testid="portal-reason"></textarea>
<button class="warn" name="decision" value="reject" data-testid="portal-reject">仍有问题</button></form>`
    : '';
  return page(`工单 ${t.no}`, `<h1>工单 <span data-testid="portal-no">${esc(t.no)}</span></h1>
<div class="card"><div><span class="state" data-testid="portal-state">${esc(state)}</span></div><p>${esc(t.title)}</p>
<p class="muted">请收藏本页：这是您查看进度的专用链接，请勿转发。</p></div>
${verify}<div class="card"><strong>进度</strong><ol data-testid="portal-timeline">${steps}</ol></div>
<div class="card"><strong>照片</strong><div class="thumbs" data-testid="portal-thumbs">${photos}</div>
<input type="file" accept="image/*" capture="environment" multiple data-more="/portal/f/${esc(token)}/photos" data-testid="portal-more"><p id="error" role="alert"></p></div>`);
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${esc(title)}</h1><div class="card"><p>${esc(text)}</p></div>`);
}

export interface Place {
  device: string;
  location: string;
}

/** A printable sheet of QR codes, one per device or location, each opening the report page prefilled. */
export function sheetPage(origin: string, site: { id: string; name: string }, places: readonly Place[]): string {
  const cells = places
    .map((p) => {
      const url = reportUrl(origin, site.id, p);
      return `<figure data-testid="portal-qr">${encodeQR(url, 'svg')}<figcaption><strong>${esc(p.device || p.location)}</strong><br>${esc(p.location)}<br><span class="muted">${esc(url)}</span></figcaption></figure>`;
    })
    .join('');
  return page(`报修二维码 · ${site.name}`, `<h1>扫码报修 · ${esc(site.name)}</h1><div class="sheet">${cells}</div>`);
}

export function reportUrl(origin: string, site: string, p: Place): string {
  const q = new URLSearchParams({ site, ...(p.device ? { device: p.device } : {}), ...(p.location ? { location: p.location } : {}) });
  return `${origin}/portal/r?${q.toString()}`;
}

import { createHmac } from 'node:crypto';
import { DEFAULTS, type ConnectorConfig, type ConnectorsFile } from '../config';
import { renderText, renderValue } from '../template';
import { httpSend, judgeHttp, type Verdict } from './http';
import { smtpSend } from './smtp';

/**
 * A configured connector: how it sends one delivery, whether its receiver honours the idempotency
 * key (then an unknown outcome is retried; otherwise it goes to the dead-letter list), and its
 * retry policy. Channels: sms_http (generic HTTP SMS gateway), wecom (group robot), smtp, webhook.
 */
export interface Connector {
  readonly id: string;
  readonly type: ConnectorConfig['type'];
  readonly idempotent: boolean;
  readonly retry: { attempts: number; base: number; max: number };
  send(vars: Record<string, unknown>, idempotencyKey: string): Promise<Verdict>;
}

export type { Verdict } from './http';

export function buildConnector(id: string, c: ConnectorConfig, file: ConnectorsFile): Connector {
  const retry = { attempts: c.retry?.attempts ?? file.retry?.attempts ?? DEFAULTS.attempts, base: c.retry?.base ?? file.retry?.base ?? DEFAULTS.base, max: c.retry?.max ?? file.retry?.max ?? DEFAULTS.max };
  const timeoutMs = c.timeout ?? DEFAULTS.timeout;
  const maxResponseBytes = c.max_response ?? DEFAULTS.maxResponse;
  const idempotent = c.honours_idempotency_key ?? c.type === 'webhook';
  const headersOf = (h: Record<string, string> | undefined, vars: Record<string, unknown>) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, renderText(v, vars)]));
  const base = { id, type: c.type, idempotent, retry };
  switch (c.type) {
    case 'sms_http':
      return {
        ...base,
        async send(vars, key) {
          const phone = (vars.recipient as { phone?: string } | undefined)?.phone;
          if (!phone) return { kind: 'failed', error: `no phone number for "${String(vars.to)}" in the connectors file's recipients` };
          const format = c.body_format ?? 'json';
          const method = c.method ?? 'POST';
          let body: string | undefined;
          let type: string | undefined;
          const value = renderValue(c.body ?? { to: '{{recipient.phone}}', text: '{{text}}', key: '{{idempotency_key}}' }, vars);
          if (method === 'POST') {
            if (format === 'json') [body, type] = [JSON.stringify(value), 'application/json'];
            else if (format === 'form') [body, type] = [new URLSearchParams(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString(), 'application/x-www-form-urlencoded'];
            else [body, type] = [String(value ?? ''), 'text/plain; charset=utf-8'];
          }
          const r = await httpSend({ url: renderText(c.url, vars, encodeURIComponent), method, headers: { ...(type ? { 'Content-Type': type } : {}), 'Idempotency-Key': key, ...headersOf(c.headers, vars) }, ...(body ? { body } : {}), timeoutMs, maxResponseBytes });
          return judgeHttp(r, { idempotent, retryStatuses: c.retry_statuses ?? [] });
        },
      };
    case 'wecom':
      return {
        ...base,
        async send(vars) {
          const rcpt = vars.recipient as { wecom?: string; phone?: string } | undefined;
          const mention = rcpt?.wecom ?? rcpt?.phone;
          const msg = { msgtype: 'text', text: { content: renderText(c.content ?? '{{text}}', vars), ...(mention ? { mentioned_mobile_list: [mention] } : {}) } };
          const r = await httpSend({ url: renderText(c.url, vars, encodeURIComponent), method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(msg), timeoutMs, maxResponseBytes });
          const v = judgeHttp(r, { idempotent });
          if (v.kind !== 'sent' || r.kind !== 'response') return v;
          // The robot answers 200 with {errcode, errmsg}: 0 is sent, 45009 is its rate limit (not sent).
          let answer: { errcode?: number; errmsg?: string };
          try {
            answer = JSON.parse(r.body) as typeof answer;
          } catch {
            return idempotent ? { kind: 'retry', error: `unreadable robot answer: ${r.body.slice(0, 100)}` } : { kind: 'unknown', error: `unreadable robot answer: ${r.body.slice(0, 100)}` };
          }
          if (answer.errcode === 0) return { kind: 'sent', detail: 'WeCom errcode 0' };
          if (answer.errcode === 45009) return { kind: 'retry', error: `WeCom rate limit (45009): ${answer.errmsg ?? ''}` };
          return { kind: 'failed', error: `WeCom errcode ${answer.errcode ?? '?'}: ${answer.errmsg ?? ''}` };
        },
      };
    case 'smtp':
      return {
        ...base,
        send(vars, key) {
          const email = (vars.recipient as { email?: string } | undefined)?.email;
          if (!email) return Promise.resolve({ kind: 'failed', error: `no e-mail address for "${String(vars.to)}" in the connectors file's recipients` });
          return smtpSend(c, { to: email, subject: renderText(c.subject ?? '[Closeloop] {{ticket.no}} {{ticket.title}}', vars), text: renderText(c.text ?? '{{text}}', vars), key, timeoutMs, idempotent });
        },
      };
    case 'webhook':
      return {
        ...base,
        async send(vars, key) {
          const payload = renderValue(c.payload ?? { key: '{{idempotency_key}}', ticket: '{{ticket}}', payload: '{{payload}}', rule: '{{rule}}' }, vars);
          const body = JSON.stringify(payload);
          const headers: Record<string, string> = { 'Content-Type': 'application/json', [c.idempotency_header ?? 'Idempotency-Key']: key, ...headersOf(c.headers, vars) };
          if (c.secret) {
            const ts = String(Math.floor(Date.now() / 1000));
            headers['X-Closeloop-Timestamp'] = ts;
            headers['X-Closeloop-Signature'] = 'sha256=' + createHmac('sha256', c.secret).update(`${ts}.`).update(body).digest('hex');
          }
          const r = await httpSend({ url: renderText(c.url, vars, encodeURIComponent), method: c.method ?? 'POST', headers, body, timeoutMs, maxResponseBytes });
          return judgeHttp(r, { idempotent });
        },
      };
  }
}

/** Exponential backoff with ±20% jitter: base · 2^(attempt−1), at most `max`. */
export function backoffMs(attempt: number, retry: { base: number; max: number }, random: () => number = Math.random): number {
  const ms = Math.min(retry.max, retry.base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ms * (0.8 + 0.4 * random()));
}

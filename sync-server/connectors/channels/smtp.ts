import nodemailer from 'nodemailer';
import type { ConnectorConfig } from '../config';
import type { Verdict } from './http';

type SmtpConfig = Extract<ConnectorConfig, { type: 'smtp' }>;

/** SMTP commands before DATA: a failure there means the message was not accepted. */
const BEFORE_DATA = /^(CONN|EHLO|HELO|STARTTLS|AUTH|MAIL|RCPT|LHLO)/i;

/**
 * One e-mail over SMTP (nodemailer). The Message-ID is derived from the idempotency key, so a
 * receiver that de-duplicates by Message-ID sees a retry as the same message. SMTP accepts a
 * message only with the reply to DATA: a 4xx reply is "try later", 5xx "refused"; a connection
 * lost after the message was sent and before the reply leaves the outcome unknown.
 */
export async function smtpSend(c: SmtpConfig, m: { to: string; subject: string; text: string; key: string; timeoutMs: number; idempotent: boolean }): Promise<Verdict> {
  const transport = nodemailer.createTransport({
    host: c.host,
    port: c.port,
    secure: c.secure ?? false,
    requireTLS: c.require_tls ?? false,
    ignoreTLS: c.require_tls === false,
    ...(c.auth ? { auth: { user: c.auth.user, pass: c.auth.pass } } : {}),
    connectionTimeout: m.timeoutMs,
    greetingTimeout: m.timeoutMs,
    socketTimeout: m.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: c.from, to: m.to, subject: m.subject, text: m.text,
      messageId: `<${m.key}@closeloop>`, headers: { 'X-Closeloop-Idempotency-Key': m.key },
    });
    return { kind: 'sent', detail: `SMTP ${String(info.response).slice(0, 120)}` };
  } catch (e) {
    const err = e as { code?: string; responseCode?: number; command?: string; message: string };
    const error = `SMTP ${err.command ?? ''} ${err.responseCode ?? err.code ?? ''}: ${err.message}`.replace(/\s+/g, ' ').slice(0, 300);
    if (err.responseCode !== undefined) return err.responseCode >= 500 ? { kind: 'failed', error } : { kind: 'retry', error };
    if (err.code === 'EAUTH') return { kind: 'failed', error };
    if (err.code === 'ECONNECTION' || err.code === 'EDNS' || BEFORE_DATA.test(err.command ?? '')) return { kind: 'retry', error: `not delivered: ${error}` };
    return m.idempotent ? { kind: 'retry', error } : { kind: 'unknown', error };
  } finally {
    transport.close();
  }
}

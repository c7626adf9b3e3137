import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { valueProblems } from './template';

/**
 * The connectors file (docs/connectors.md): where outbox entries go and how. Read once at start
 * with `--connectors FILE`; YAML, validated with zod; an error names the file and the path inside
 * it. Secrets live only here or in the environment (`${NAME}` is replaced by the variable NAME,
 * which must be set) — never in ticket documents, which sync to every seat.
 */
const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const duration = z.string().regex(DURATION, { error: 'expected a duration such as 500ms, 10s, 2m or 1h' }).transform((s) => {
  const m = DURATION.exec(s)!;
  return Number(m[1]) * UNIT[m[2]!]!;
});
const SIZE = /^(\d+)(B|KB|MB)$/;
const size = z.string().regex(SIZE, { error: 'expected a size such as 512B, 64KB or 1MB' }).transform((s) => {
  const m = SIZE.exec(s)!;
  return Number(m[1]) * (m[2] === 'MB' ? 1 << 20 : m[2] === 'KB' ? 1 << 10 : 1);
});
const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { error: 'expected a name: lower-case letters, digits, . _ -' });
const url = z.string().refine((s) => {
  try {
    const u = new URL(s.replace(/\{\{[^{}]*\}\}/g, 'x'));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, { error: 'expected an http:// or https:// URL' });
const headers = z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { error: 'expected a header name' }), z.string()).optional();

const retry = z.strictObject({
  attempts: z.number().int().min(1).max(100).optional(),
  base: duration.optional(),
  max: duration.optional(),
});

const common = {
  timeout: duration.optional(),
  max_response: size.optional(),
  retry: retry.optional(),
  /** The receiver honours the idempotency key: a delivery whose outcome is unknown is sent again. */
  honours_idempotency_key: z.boolean().optional(),
};

const smsHttp = z.strictObject({
  type: z.literal('sms_http'),
  url,
  method: z.enum(['GET', 'POST']).optional(),
  headers,
  /** form: the body is URL-encoded fields; json: the body is the value; text: a text template. */
  body_format: z.enum(['form', 'json', 'text']).optional(),
  body: z.unknown().optional(),
  /** HTTP statuses that mean "not sent, try again later" (e.g. 429). */
  retry_statuses: z.array(z.number().int().min(400).max(599)).optional(),
  ...common,
});

const wecom = z.strictObject({
  type: z.literal('wecom'),
  url,
  content: z.string().optional(),
  ...common,
});

const smtp = z.strictObject({
  type: z.literal('smtp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  secure: z.boolean().optional(),
  require_tls: z.boolean().optional(),
  auth: z.strictObject({ user: z.string(), pass: z.string() }).optional(),
  from: z.string().min(3),
  subject: z.string().optional(),
  text: z.string().optional(),
  ...common,
});

const webhook = z.strictObject({
  type: z.literal('webhook'),
  url,
  method: z.enum(['POST', 'PUT', 'PATCH']).optional(),
  headers,
  payload: z.unknown().optional(),
  /** HMAC-SHA256 key: the request carries X-Closeloop-Timestamp and X-Closeloop-Signature. */
  secret: z.string().min(16, { error: 'expected an HMAC secret of at least 16 characters' }).optional(),
  idempotency_header: z.string().regex(/^[A-Za-z0-9-]+$/).optional(),
  ...common,
});

const connector = z.discriminatedUnion('type', [smsHttp, wecom, smtp, webhook]);

const recipient = z.strictObject({
  name: z.string().optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(200).optional(),
  /** The mobile number WeCom mentions (@) in a group robot message. */
  wecom: z.string().max(40).optional(),
});

const inboundEndpoint = z.strictObject({
  site: z.string().min(1),
  secret: z.string().min(16, { error: 'expected an HMAC secret of at least 16 characters' }),
  /** Requests a minute this endpoint accepts before answering 429. */
  per_minute: z.number().int().min(1).max(100_000).optional(),
  /** How far a request's timestamp may be from the server's clock. */
  max_skew: duration.optional(),
});

export const connectorsFileSchema = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1' }),
  retry: retry.optional(),
  recipients: z.record(z.string(), recipient).optional(),
  channels: z.strictObject({ sms: name.optional(), wecom: name.optional(), email: name.optional(), webhook: name.optional() }).optional(),
  connectors: z.record(name, connector),
  inbound: z.strictObject({
    host: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65_535),
    max_body: size.optional(),
    endpoints: z.record(name, inboundEndpoint),
  }).optional(),
  workers: z.strictObject({ concurrency: z.number().int().min(1).max(64).optional(), poll: duration.optional() }).optional(),
});
export type ConnectorsFile = z.infer<typeof connectorsFileSchema>;
export type ConnectorConfig = z.infer<typeof connector>;
export type InboundEndpoint = z.infer<typeof inboundEndpoint>;

export class ConnectorsFileError extends Error {}

const where = (file: string, path: readonly PropertyKey[]) => `${file}: ${path.length ? path.map(String).join('.') : '(top level)'}`;

/** `${NAME}` → the environment variable; a missing one is an error naming where it is used. */
function substituteEnv(v: unknown, env: NodeJS.ProcessEnv, file: string, path: (string | number)[] = []): unknown {
  if (typeof v === 'string') {
    return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, n: string) => {
      const value = env[n];
      if (value === undefined) throw new ConnectorsFileError(`${where(file, path)}: the environment variable ${n} is not set`);
      return value;
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => substituteEnv(x, env, file, [...path, i]));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteEnv(x, env, file, [...path, k])]));
  return v;
}

/** Validates the text of a connectors file; throws ConnectorsFileError listing every problem. */
export function parseConnectorsFile(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ConnectorsFile {
  let raw: unknown;
  try {
    raw = parseYaml(text, { schema: 'core' });
  } catch (e) {
    throw new ConnectorsFileError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  const r = connectorsFileSchema.safeParse(substituteEnv(raw, env, file));
  if (!r.success) throw new ConnectorsFileError(r.error.issues.map((i) => `${where(file, i.path)}: ${i.message}`).join('\n'));
  const c = r.data;
  const problems: string[] = [];
  for (const [id, k] of Object.entries(c.connectors)) {
    const templates: [string, unknown][] = [['url' in k ? 'url' : 'host', 'url' in k ? k.url : '']];
    if (k.type === 'sms_http') templates.push(['body', k.body], ['headers', k.headers]);
    if (k.type === 'wecom') templates.push(['content', k.content]);
    if (k.type === 'smtp') templates.push(['subject', k.subject], ['text', k.text]);
    if (k.type === 'webhook') templates.push(['payload', k.payload], ['headers', k.headers]);
    for (const [field, t] of templates) for (const p of valueProblems(t)) problems.push(`${where(file, ['connectors', id, field, ...p.path])}: ${p.message}`);
    if (k.type === 'sms_http' && k.body_format === 'text' && k.body !== undefined && typeof k.body !== 'string') problems.push(`${where(file, ['connectors', id, 'body'])}: body_format text needs a text body`);
  }
  for (const [channel, id] of Object.entries(c.channels ?? {})) {
    if (id && !c.connectors[id]) problems.push(`${where(file, ['channels', channel])}: no connector "${id}" in connectors`);
  }
  if (problems.length) throw new ConnectorsFileError(problems.join('\n'));
  return c;
}

export function loadConnectorsFile(file: string, env: NodeJS.ProcessEnv = process.env): ConnectorsFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConnectorsFileError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseConnectorsFile(text, file, env);
}

/** Defaults used where the file says nothing. */
export const DEFAULTS = {
  attempts: 6,
  base: 2_000,
  max: 5 * 60_000,
  timeout: 10_000,
  maxResponse: 64 * 1024,
  concurrency: 8,
  poll: 500,
  perMinute: 60,
  maxSkew: 5 * 60_000,
  maxBody: 256 * 1024,
};

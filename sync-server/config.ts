import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_MAX_FRAME_BYTES } from './protocol';

/** The server's command line, validated: a bad flag stops it with a message, exit code 2. */
export const configSchema = z
  .object({
    data: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65_535),
    host: z.string().min(1),
    storage: z.enum(['embedded', 'postgres']),
    pg: z.string().optional(),
    demo: z.coerce.number().int().min(0).max(500_000).optional(),
    maxFrame: z.coerce.number().int().min(64 * 1024).max(256 * 1024 * 1024),
    docCache: z.coerce.number().int().min(10).max(100_000),
    instance: z.string().min(1).max(64),
    compactMs: z.coerce.number().int().min(50),
    maxAttachmentMb: z.coerce.number().min(0.1).max(1024),
    tlsCert: z.string().min(1).optional(),
    tlsKey: z.string().min(1).optional(),
    allowPlainHttp: z.boolean(),
    auditRetentionDays: z.coerce.number().int().min(0).max(36_500),
    connectors: z.string().min(1).optional(),
    updates: z.string().min(1),
  })
  .refine((c) => c.storage !== 'postgres' || !!c.pg, { message: '--storage postgres needs --pg postgres://…', path: ['pg'] })
  .refine((c) => !!c.tlsCert === !!c.tlsKey, { message: '--tls-cert and --tls-key go together', path: ['tls-key'] })
  .refine((c) => !!c.tlsCert || c.allowPlainHttp || isLoopback(c.host), {
    message: 'plain HTTP is refused on an address other than 127.0.0.1/::1: give --tls-cert and --tls-key (the plant CA’s certificate), or, if the plant has decided so in writing, --allow-plain-http',
    path: ['host'],
  });
export type ServerConfig = z.infer<typeof configSchema>;

/** 127.0.0.0/8, ::1 and localhost: the only addresses plain HTTP may listen on without --allow-plain-http. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The warning logged (loudly, at start and every hour) when plain HTTP listens beyond loopback. */
export function plainHttpWarning(c: ServerConfig): string | null {
  if (c.tlsCert || isLoopback(c.host)) return null;
  return `WARNING: PLAIN HTTP ON ${c.host}:${c.port} (--allow-plain-http): tokens and tickets cross the network unencrypted. Use --tls-cert/--tls-key with the plant CA (docs/operations.md).`;
}

export const USAGE = `closeloop sync server
  --data DIR            data folder (embedded storage, admin socket)   [.data/sync]
  --port N              port, 0 for any free one                       [8787]
  --host ADDR           address to listen on                           [127.0.0.1]
  --storage KIND        embedded | postgres                            [embedded]
  --pg URL              PostgreSQL connection string (with --storage postgres)
  --demo N              on an empty store: seed the demo site mx-plant, its people (password demo1234,
                        demo only) and N demo tickets
  --max-frame BYTES     largest WebSocket frame accepted                [${DEFAULT_MAX_FRAME_BYTES}]
  --doc-cache N         live Automerge documents kept in memory         [2000]
  --instance NAME       this instance's name in logs and /healthz       [host:port]
  --compact-ms N        background compaction period                    [1000]
  --max-attachment-mb N largest attachment (photo, recording, document) [15]
  --tls-cert FILE       PEM certificate chain (issued by the plant CA): HTTPS and WSS on every endpoint
  --tls-key FILE        its PEM private key (SIGHUP reloads both: certificate rotation without a restart)
  --allow-plain-http    allow plain HTTP on an address other than 127.0.0.1/::1 (logged as a warning)
  --audit-retention-days N  audit lines younger than this are never pruned (admin prune-audit) [180]
  --connectors FILE     connectors file (YAML, docs/connectors.md): deliver tickets' outbox entries, inbound webhooks
  --updates DIR         the desktop app's update feed, served read-only at /updates/ (admin updates publish) [<data>/updates]`;

export function parseConfig(argv: string[]): ServerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string', default: '.data/sync' },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      storage: { type: 'string', default: 'embedded' },
      pg: { type: 'string' },
      demo: { type: 'string' },
      'max-frame': { type: 'string', default: String(DEFAULT_MAX_FRAME_BYTES) },
      'doc-cache': { type: 'string', default: '2000' },
      instance: { type: 'string' },
      'compact-ms': { type: 'string', default: '1000' },
      'max-attachment-mb': { type: 'string', default: '15' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'allow-plain-http': { type: 'boolean', default: false },
      'audit-retention-days': { type: 'string', default: '180' },
      connectors: { type: 'string' },
      updates: { type: 'string' },
    },
    strict: true,
  });
  return configSchema.parse({
    data: values.data,
    port: values.port,
    host: values.host,
    storage: values.storage,
    pg: values.pg,
    demo: values.demo,
    maxFrame: values['max-frame'],
    docCache: values['doc-cache'],
    instance: values.instance ?? `${values.host}:${values.port}`,
    compactMs: values['compact-ms'],
    maxAttachmentMb: values['max-attachment-mb'],
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    allowPlainHttp: values['allow-plain-http'],
    auditRetentionDays: values['audit-retention-days'],
    connectors: values.connectors,
    updates: values.updates ?? join(values.data ?? '.data/sync', 'updates'),
  });
}

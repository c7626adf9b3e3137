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
  })
  .refine((c) => c.storage !== 'postgres' || !!c.pg, { message: '--storage postgres needs --pg postgres://…', path: ['pg'] });
export type ServerConfig = z.infer<typeof configSchema>;

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
  --compact-ms N        background compaction period                    [1000]`;

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
  });
}

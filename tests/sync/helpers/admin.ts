import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './server-process';

/** Runs the admin CLI (`npm run -s admin -- …` without npm) against a data folder. */
export function admin(data: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'sync-server', 'admin', 'cli.ts'), ...args, '--data', data], { cwd: ROOT }, (e, out, err) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, out, err });
    });
  });
}

export async function auditLines(data: string, last = 500): Promise<{ kind: string; user?: string; device?: string; reason?: string; ticket?: string; detail?: Record<string, unknown> }[]> {
  const r = await admin(data, 'audit', '--last', String(last));
  if (r.code !== 0) throw new Error(r.err);
  return (JSON.parse(r.out) as { line: never }[]).map((x) => x.line);
}

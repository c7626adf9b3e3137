import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The REST API's bearer token: 32 random bytes (hex) in `<dataDir>/api-token`, created with mode
 * 0600 on first start and read on later ones. Whoever can read the data folder may call the API.
 */
export const TOKEN_FILE = 'api-token';

export interface ApiToken {
  token: string;
  path: string;
}

export async function ensureApiToken(dataDir: string): Promise<ApiToken> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, TOKEN_FILE);
  const token = randomBytes(32).toString('hex');
  try {
    await writeFile(path, token + '\n', { mode: 0o600, flag: 'wx' });
    return { token, path };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const existing = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(existing)) throw new Error(`${path} does not hold a 64-hex-digit token; delete it to make a new one`);
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return { token: existing, path };
}

/** Compares an `Authorization` header with the token in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+([0-9a-fA-F]{64})\s*$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const given = new TextEncoder().encode(m[1].toLowerCase());
  const want = new TextEncoder().encode(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

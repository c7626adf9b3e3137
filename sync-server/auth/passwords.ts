import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (node:crypto): a random 16-byte salt per user, N=2^15, r=8, p=1,
 * 32-byte key, stored as `scrypt$N$r$p$salt$hash` (base64) so the cost can be raised later
 * without breaking old hashes. Verification compares in constant time, and an unknown user costs
 * the same as a wrong password (`verifyPassword(null, …)` hashes against a dummy).
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), new Uint8Array(salt), KEYLEN, { ...opts, maxmem: MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

const DUMMY = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEYLEN).toString('base64')}`;

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const parts = (stored ?? DUMMY).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!Number.isInteger(n) || n < 2 || n > 2 ** 20 || expected.length !== KEYLEN) return false;
  const key = await derive(password, salt, { N: n, r, p });
  return timingSafeEqual(new Uint8Array(key), new Uint8Array(expected)) && stored !== null;
}

/** A readable random password for `reset-password` / `add-user` without one. */
export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Rejects passwords too weak to store, with a message for the admin. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8) return 'the password must be at least 8 characters';
  if (password.length > 200) return 'the password must be at most 200 characters';
  return null;
}

import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import { bearer, hashToken, newToken } from './tokens';

describe('passwords and seat tokens', () => {
  it('hashes with scrypt and a salt per user, and verifies', async () => {
    const a = await hashPassword('demo1234');
    const b = await hashPassword('demo1234');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'demo1234')).toBe(true);
    expect(await verifyPassword(a, 'demo12345')).toBe(false);
    expect(await verifyPassword(null, 'demo1234')).toBe(false);
    expect(await verifyPassword('md5$abc', 'x')).toBe(false);
    expect(passwordProblem('short')).toMatch(/at least 8/);
  });

  it('stores only a token’s hash and reads it from a Bearer header', () => {
    const { token, hash } = newToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashToken(token));
    expect(bearer(`Bearer ${token}`)).toBe(token);
    expect(bearer('Basic abc')).toBeNull();
  });
});

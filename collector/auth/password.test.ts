import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('uses scrypt N=2^17 by default, salted, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('verifies hashes made with another cost, and rejects malformed ones', async () => {
    const cheap = await hashPassword('pässword 123', 12);
    expect(cheap.startsWith('scrypt$12$')).toBe(true);
    // NFC and NFD spellings of the same text are the same password.
    expect(await verifyPassword('pa\u0308ssword 123', cheap)).toBe(true);
    for (const bad of ['', 'plain', 'scrypt$99$8$1$AAAA$BBBB', cheap.replace(/\$[^$]+$/, '$short'), 'bcrypt$12$8$1$a$b'])
      expect(await verifyPassword('pässword 123', bad)).toBe(false);
  });
});

import { createCipheriv, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  cachedSaltCount,
  decryptParams,
  forgetSecurityKey,
  MalformedEnvelopeError,
  parseEnvelope,
  WrongSecurityKeyError,
} from './paramkey';

const b64url = (b: Buffer) => b.toString('base64url');

/** Seals like the agent does (PBKDF2-SHA256 → AES-256-GCM), with node:crypto — an independent implementation. */
function seal(key: string, plaintext: string, iterations: number, salt = randomBytes(16)): string {
  const aes = pbkdf2Sync(key, salt, iterations, 32, 'sha256');
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', aes, nonce);
  const ct = Buffer.concat([c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
  return `v1.${b64url(salt)}.${b64url(nonce)}.${b64url(ct)}`;
}

const vectorPath = resolve(__dirname, '../../docs/paramkey-test-vector.json');

describe('paramkey', () => {
  afterEach(() => forgetSecurityKey());

  it('decrypts an envelope sealed with node:crypto at the real iteration count', async () => {
    const env = seal('DEMO2SECURITYKEY7ABC', JSON.stringify([42, 'alice', null]), 600_000);
    expect(env).not.toMatch(/=/);
    await expect(decryptParams(env, 'DEMO2SECURITYKEY7ABC')).resolves.toEqual([42, 'alice', null]);
  });

  it('says exactly "wrong security key" for a wrong key, and keeps nothing cached for it', async () => {
    const env = seal('RIGHTKEY2345ABCDEFGH', '{"a":["1"]}', 1000);
    const err = await decryptParams(env, 'WRONGKEY2345ABCDEFGH', { iterations: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongSecurityKeyError);
    expect((err as Error).message).toBe('wrong security key');
    expect(cachedSaltCount()).toBe(0);
    await expect(decryptParams(env, 'RIGHTKEY2345ABCDEFGH', { iterations: 1000 })).resolves.toEqual({ a: ['1'] });
  });

  it('derives once per salt and reuses the key for other envelopes of that salt', async () => {
    const salt = randomBytes(16);
    const a = seal('K2K2K2K2K2K2K2K2K2K2', '["a"]', 1000, salt);
    const b = seal('K2K2K2K2K2K2K2K2K2K2', '["b"]', 1000, salt);
    const c = seal('K2K2K2K2K2K2K2K2K2K2', '["c"]', 1000);
    await decryptParams(a, 'K2K2K2K2K2K2K2K2K2K2', { iterations: 1000 });
    await decryptParams(b, 'K2K2K2K2K2K2K2K2K2K2', { iterations: 1000 });
    expect(cachedSaltCount()).toBe(1);
    await expect(decryptParams(c, 'K2K2K2K2K2K2K2K2K2K2', { iterations: 1000 })).resolves.toEqual(['c']);
    expect(cachedSaltCount()).toBe(2);
  });

  it('refuses a tampered ciphertext as a wrong key', async () => {
    const env = seal('K3K3K3K3K3K3K3K3K3K3', '["x"]', 1000);
    const last = env.at(-1) === 'A' ? 'B' : 'A';
    await expect(decryptParams(env.slice(0, -1) + last, 'K3K3K3K3K3K3K3K3K3K3', { iterations: 1000 })).rejects.toThrow(
      'wrong security key',
    );
  });

  it('rejects malformed envelopes without touching WebCrypto', () => {
    expect(() => parseEnvelope('v2.a.b.c')).toThrow(MalformedEnvelopeError);
    expect(() => parseEnvelope('v1.AAAA.AAAA')).toThrow(MalformedEnvelopeError);
    expect(() => parseEnvelope('v1.AAECAwQFBgcICQoLDA0ODw.oKGio6Slpqeo.AAAA')).toThrow(/nonce/);
    expect(() => parseEnvelope('v1.AAEC+wQFBgcICQoLDA0ODw.oKGio6Slpqeoqaqr.AAAA')).toThrow(/base64url/);
  });

  it('decrypts the agent test vector in docs/paramkey-test-vector.json', async () => {
    const v = JSON.parse(readFileSync(vectorPath, 'utf8')) as {
      key: string;
      iterations: number;
      salt_b64url: string;
      nonce_b64url: string;
      plaintext: string;
      envelope: string;
    };
    const parts = parseEnvelope(v.envelope);
    expect(Buffer.from(parts.salt).toString('base64url')).toBe(v.salt_b64url);
    expect(Buffer.from(parts.nonce).toString('base64url')).toBe(v.nonce_b64url);
    await expect(decryptParams(v.envelope, v.key, { iterations: v.iterations })).resolves.toEqual(JSON.parse(v.plaintext));
    await expect(decryptParams(v.envelope, v.key.toLowerCase(), { iterations: v.iterations })).rejects.toThrow(
      'wrong security key',
    );
  });
});

import { createCipheriv, pbkdf2, randomBytes, randomFillSync } from 'node:crypto';

/**
 * Parameter encryption exactly as the agent does it (docs/paramkey.md): PBKDF2-HMAC-SHA256,
 * 600,000 iterations, a 16-byte random salt per agent process, AES-256-GCM with a fresh
 * 12-byte nonce per envelope. Envelope: `v1.<salt>.<nonce>.<ciphertext+tag>`, base64url.
 * The demo and the benchmark use it to send what a real agent sends.
 */
export const PARAMKEY_ITERATIONS = 600_000;

export interface ParamCipher {
  salt: Buffer;
  key: Buffer;
}

/** Derives once per agent process: 600,000 iterations cost about half a second. */
export function deriveParamCipher(paramkey: string, salt: Buffer = randomBytes(16)): Promise<ParamCipher> {
  return new Promise((resolve, reject) => {
    pbkdf2(paramkey, salt, PARAMKEY_ITERATIONS, 32, 'sha256', (err, key) => (err ? reject(err) : resolve({ salt, key })));
  });
}

// Nonces come from a pool refilled 4 KiB at a time: one randomBytes call per envelope is the
// most expensive part of encrypting a small parameter set.
const pool = Buffer.alloc(12 * 4096);
let poolAt = pool.length;
function freshNonce(): Buffer {
  if (poolAt + 12 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += 12;
  return Buffer.from(pool.subarray(poolAt - 12, poolAt));
}

/** Encrypts the UTF-8 JSON of `value` (a parameter object or array) into an envelope. */
export function encryptParams(cipher: ParamCipher, value: unknown, nonce: Buffer = freshNonce()): string {
  const aes = createCipheriv('aes-256-gcm', cipher.key, nonce);
  const plaintext = typeof value === 'string' ? value : JSON.stringify(value);
  const body = Buffer.concat([aes.update(plaintext, 'utf8'), aes.final(), aes.getAuthTag()]);
  return `v1.${cipher.salt.toString('base64url')}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

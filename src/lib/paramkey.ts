/**
 * Parameter decryption with the security key (paramkey), in the browser, with WebCrypto.
 *
 * Envelope: `v1.<salt>.<nonce>.<ciphertext+tag>`, base64url parts without padding;
 * key = PBKDF2-HMAC-SHA256(securityKey, salt, 600,000 iterations) → AES-256-GCM;
 * plaintext = UTF-8 JSON. See docs/paramkey.md.
 *
 * The security key never leaves this module's memory: derived CryptoKeys are cached per
 * salt for the life of the tab (one agent process uses one salt, so a profile costs one
 * derivation), never written to storage and never sent anywhere.
 */

export const PARAMKEY_ITERATIONS = 600_000;

/** The only words a wrong key gets: a GCM failure says nothing more. */
export const WRONG_KEY_MESSAGE = 'wrong security key';

export class WrongSecurityKeyError extends Error {
  constructor() {
    super(WRONG_KEY_MESSAGE);
    this.name = 'WrongSecurityKeyError';
  }
}

export class MalformedEnvelopeError extends Error {
  constructor(why: string) {
    super(`encrypted parameters are malformed: ${why}`);
    this.name = 'MalformedEnvelopeError';
  }
}

export interface Envelope {
  salt: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array<ArrayBuffer>;
  /** Ciphertext followed by the 16-byte GCM tag. */
  sealed: Uint8Array<ArrayBuffer>;
  /** The salt part as written, used as the cache key. */
  saltText: string;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes unpadded base64url; throws MalformedEnvelopeError on anything else. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!B64URL.test(text) || text.length % 4 === 1) throw new MalformedEnvelopeError('bad base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Splits an envelope into its parts, checking version and sizes. */
export function parseEnvelope(envelope: string): Envelope {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') throw new MalformedEnvelopeError('expected v1.salt.nonce.ciphertext');
  const [, saltText, nonceText, sealedText] = parts as [string, string, string, string];
  const salt = fromBase64Url(saltText);
  const nonce = fromBase64Url(nonceText);
  const sealed = fromBase64Url(sealedText);
  if (salt.length < 8) throw new MalformedEnvelopeError('salt too short');
  if (nonce.length !== 12) throw new MalformedEnvelopeError('nonce must be 96 bits');
  if (sealed.length < 16) throw new MalformedEnvelopeError('ciphertext shorter than the tag');
  return { salt, nonce, sealed, saltText };
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('This browser cannot decrypt parameters: WebCrypto needs a secure context (HTTPS or localhost).');
  return s;
}

/** Derives the AES-256-GCM key for one salt (not cached; see `unlockKey`). */
export async function deriveParamKey(
  securityKey: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number = PARAMKEY_ITERATIONS,
): Promise<CryptoKey> {
  const s = subtle();
  const material = await s.importKey('raw', new TextEncoder().encode(securityKey), 'PBKDF2', false, ['deriveKey']);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt'],
  );
}

/**
 * In-memory cache for the tab: derived keys per salt, for the security key last entered.
 * Entering a different key drops every cached key, so a cached key always belongs to the
 * key the user typed last. The key text is kept only as long as the cache it tags.
 */
let cachedFor: string | null = null;
const derivedBySalt = new Map<string, Promise<CryptoKey>>();

function cachedKey(securityKey: string, env: Envelope, iterations: number): Promise<CryptoKey> {
  if (cachedFor !== securityKey) {
    derivedBySalt.clear();
    cachedFor = securityKey;
  }
  const id = `${iterations}:${env.saltText}`;
  let key = derivedBySalt.get(id);
  if (!key) {
    key = deriveParamKey(securityKey, env.salt, iterations);
    derivedBySalt.set(id, key);
  }
  return key;
}

/** Forgets every derived key (e.g. the user locks the parameters again). */
export function forgetSecurityKey(): void {
  derivedBySalt.clear();
  cachedFor = null;
}

/** Number of salts with a derived key in the cache (for tests and diagnostics). */
export function cachedSaltCount(): number {
  return derivedBySalt.size;
}

/**
 * Decrypts one envelope and parses its JSON. Throws WrongSecurityKeyError when the GCM
 * check fails (wrong key or tampered data — deliberately indistinguishable), and
 * MalformedEnvelopeError when the envelope cannot be parsed.
 */
export async function decryptParams(
  envelope: string,
  securityKey: string,
  options: { iterations?: number } = {},
): Promise<unknown> {
  const env = parseEnvelope(envelope);
  const iterations = options.iterations ?? PARAMKEY_ITERATIONS;
  const key = await cachedKey(securityKey, env, iterations);
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: env.nonce, tagLength: 128 }, key, env.sealed);
  } catch {
    // A key that fails GCM must not stay cached as if it were the user's key.
    if (cachedFor === securityKey) forgetSecurityKey();
    throw new WrongSecurityKeyError();
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(plain);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedEnvelopeError('plaintext is not JSON');
  }
}

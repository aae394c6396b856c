import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * License keys: `tsl_<pcode>_<lookup 8><secret 26><check 6>`, base32 (A-Z2-7).
 * - lookup: 40 random bits, public, finds the row (shown as the key's prefix);
 * - secret: 130 random bits, stored only as a sha256 hash;
 * - check: 30 bits of sha256 over the rest, so a mistyped or foreign key is refused
 *   without a database look-up.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const KEY_RE = /^tsl_([a-z2-7]{8})_([A-Z2-7]{8})([A-Z2-7]{26})([A-Z2-7]{6})$/;

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function checksum(head: string): string {
  return base32(createHash('sha256').update(head).digest(), 6);
}

export interface ParsedLicenseKey {
  pcode: string;
  lookup: string;
  secret: string;
}

/** A new project code: 8 characters of lowercase base32. */
export function generatePcode(): string {
  return base32(randomBytes(5), 8).toLowerCase();
}

export function generateLicenseKey(pcode: string): { key: string; lookup: string; secretHash: string } {
  const lookup = base32(randomBytes(5), 8);
  const secret = base32(randomBytes(17), 26);
  const head = `tsl_${pcode}_${lookup}${secret}`;
  return { key: head + checksum(head), lookup, secretHash: hashSecret(secret) };
}

/** The visible part of a key after issue. */
export function licensePrefix(pcode: string, lookup: string): string {
  return `tsl_${pcode}_${lookup}`;
}

/** Parses and checksum-verifies a key; null when malformed. No database access. */
export function parseLicenseKey(key: string): ParsedLicenseKey | null {
  if (typeof key !== 'string' || key.length > 64) return null;
  const m = KEY_RE.exec(key.trim());
  if (!m) return null;
  const [, pcode, lookup, secret, check] = m as unknown as [string, string, string, string, string];
  if (checksum(`tsl_${pcode}_${lookup}${secret}`) !== check) return null;
  return { pcode, lookup, secret };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

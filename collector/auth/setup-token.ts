import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time setup token: printed on the collector's output at start while no user exists,
 * and required to create the first administrator, so whoever reaches the port first cannot.
 */
export function newSetupToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Constant-time comparison (hashed first, so lengths do not leak either). */
export function setupTokenMatches(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

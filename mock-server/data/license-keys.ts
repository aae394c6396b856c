/**
 * License keys in the collector's format (collector/licenses/license-key.ts), made with
 * WebCrypto so the same code runs in the browser worker and in Node tests:
 * `tsl_<pcode>_<lookup 8><secret 26><check 6>`, base32 (A-Z2-7).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

function randomBase32(length: number): string {
  return base32(crypto.getRandomValues(new Uint8Array(Math.ceil((length * 5) / 8))), length);
}

export function randomPcode(): string {
  return randomBase32(8).toLowerCase();
}

export async function generateMockLicenseKey(pcode: string): Promise<{ key: string; prefix: string }> {
  const lookup = randomBase32(8);
  const head = `tsl_${pcode}_${lookup}${randomBase32(26)}`;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(head)));
  return { key: head + base32(digest, 6), prefix: `tsl_${pcode}_${lookup}` };
}

import { useSyncExternalStore } from 'react';
import { forgetSecurityKey } from './paramkey';

/**
 * The security key the user entered, held in this module's memory for the tab only — never
 * in localStorage, a cookie or a URL, never sent — so moving between profiles keeps them
 * revealed until the tab closes or the user locks them again.
 */
let accepted: string | null = null;
const listeners = new Set<() => void>();

function emit() {
  for (const l of listeners) l();
}

/** Remembers a key once it has decrypted something (a wrong key is never kept). */
export function acceptSecurityKey(key: string): void {
  accepted = key;
  emit();
}

/** Forgets the key and every key derived from it. */
export function lockSecurityKey(): void {
  accepted = null;
  forgetSecurityKey();
  emit();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The accepted key, or null while parameters are locked. */
export function useSecurityKey(): string | null {
  return useSyncExternalStore(subscribe, () => accepted, () => null);
}

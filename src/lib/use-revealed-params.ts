import { useCallback, useEffect, useMemo, useState } from 'react';
import { decryptParams, MalformedEnvelopeError, WrongSecurityKeyError, WRONG_KEY_MESSAGE } from './paramkey';
import { acceptSecurityKey, lockSecurityKey, useSecurityKey } from './security-key-store';

export type RevealStatus = 'none' | 'locked' | 'decrypting' | 'revealed';

export interface RevealedParams {
  status: RevealStatus;
  /** Decrypted values by envelope; only when revealed. */
  values: ReadonlyMap<string, unknown>;
  /** Envelopes that could not be decrypted with the accepted key (another agent's key, or damaged). */
  failed: ReadonlySet<string>;
  /** "wrong security key", or why an envelope is unreadable. */
  error: string | null;
  unlock: (key: string) => Promise<boolean>;
  lock: () => void;
}

type Outcome = { values: Map<string, unknown>; failed: Set<string> };

async function decryptAll(envelopes: readonly string[], key: string): Promise<Outcome> {
  const values = new Map<string, unknown>();
  const failed = new Set<string>();
  // Envelopes of one agent process share a salt: the first derivation is reused by the rest.
  const [first, ...rest] = envelopes;
  if (first === undefined) return { values, failed };
  values.set(first, await decryptParams(first, key));
  const results = await Promise.allSettled(rest.map((e) => decryptParams(e, key)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') values.set(rest[i]!, r.value);
    else failed.add(rest[i]!);
  });
  return { values, failed };
}

/**
 * Decrypts a profile's parameter envelopes with the security key, in the browser.
 * `unlock(key)` tries the key on the first envelope: a wrong key is refused with exactly
 * "wrong security key" and not remembered; a right one is kept for the tab (memory only)
 * and reveals the other profiles opened afterwards without asking again.
 */
export function useRevealedParams(envelopes: readonly string[]): RevealedParams {
  const key = useSecurityKey();
  const id = envelopes.join('\n');
  const list = useMemo(() => (id ? id.split('\n') : []), [id]);
  const [result, setResult] = useState<{ id: string; key: string; outcome: Outcome } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!key || list.length === 0 || (result && result.id === id && result.key === key)) return;
    let cancelled = false;
    setBusy(true);
    decryptAll(list, key)
      .then((outcome) => {
        if (!cancelled) setResult({ id, key, outcome });
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        // The remembered key does not open this profile (another agent's key): ask again.
        if (e instanceof WrongSecurityKeyError) {
          lockSecurityKey();
          setError('The security key entered before does not open these parameters; enter this agent’s key.');
        } else {
          setError(e instanceof Error ? e.message : 'The parameters could not be decrypted in this browser.');
        }
      })
      .finally(() => {
        if (!cancelled) setBusy(false);
      });
    return () => {
      cancelled = true;
    };
  }, [key, id, list, result]);

  const unlock = useCallback(
    async (candidate: string) => {
      if (list.length === 0) return false;
      setBusy(true);
      setError(null);
      try {
        const outcome = await decryptAll(list, candidate);
        setResult({ id, key: candidate, outcome });
        acceptSecurityKey(candidate);
        return true;
      } catch (e) {
        setError(
          e instanceof WrongSecurityKeyError
            ? WRONG_KEY_MESSAGE
            : e instanceof MalformedEnvelopeError
              ? e.message
              : 'The parameters could not be decrypted in this browser.',
        );
        return false;
      } finally {
        setBusy(false);
      }
    },
    [id, list],
  );

  const lock = useCallback(() => {
    lockSecurityKey();
    setResult(null);
    setError(null);
  }, []);

  const revealed = result !== null && result.id === id && key !== null && result.key === key;
  const status: RevealStatus = list.length === 0 ? 'none' : revealed ? 'revealed' : busy ? 'decrypting' : 'locked';
  const empty = useMemo(() => ({ values: new Map<string, unknown>(), failed: new Set<string>() }), []);
  const outcome = revealed ? result.outcome : empty;
  return { status, values: outcome.values, failed: outcome.failed, error, unlock, lock };
}

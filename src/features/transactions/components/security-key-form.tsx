import { useId, useState, type FormEvent } from 'react';
import { Button } from '../../../components/button';
import type { RevealedParams } from '../../../lib/use-revealed-params';
import { LockIcon } from '../../../components/lock-icon';
import './security-key-form.css';

/**
 * The lock over encrypted parameters: asks for the security key (paramkey.txt of the agent)
 * and reveals the parameters in place. The key is checked here, in the browser; the server
 * never sees it.
 */
export function SecurityKeyForm({ reveal, count }: { reveal: RevealedParams; count: number }) {
  const [key, setKey] = useState('');
  const id = useId();
  if (reveal.status === 'none') return null;

  if (reveal.status === 'revealed') {
    return (
      <div className="paramkey paramkey--open" role="status">
        <span>
          <LockIcon open /> Parameters decrypted in this browser
          {reveal.failed.size > 0 && ` (${reveal.failed.size} could not be decrypted with this key)`}
        </span>
        <Button size="sm" variant="ghost" onClick={reveal.lock}>
          Lock again
        </Button>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!key.trim()) return;
    if (await reveal.unlock(key.trim())) setKey('');
  };

  return (
    <form className="paramkey" onSubmit={submit} aria-label="Reveal parameters">
      <p className="paramkey__lead">
        <LockIcon /> parameters encrypted — enter the security key
        <span className="paramkey__count">
          {' '}
          ({count} set{count === 1 ? '' : 's'})
        </span>
      </p>
      <p className="paramkey__hint">
        It is in <code>paramkey.txt</code> in the agent's <code>WHATAP_HOME</code>. It is used only in this tab to
        decrypt, and is never sent to the server.
      </p>
      <div className="paramkey__row">
        <label htmlFor={id} className="visually-hidden">
          Security key
        </label>
        <input
          id={id}
          className="input input-mono"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="Security key"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={reveal.error ? true : undefined}
          aria-describedby={reveal.error ? `${id}-error` : undefined}
        />
        <Button type="submit" variant="primary" loading={reveal.status === 'decrypting'} disabled={!key.trim()}>
          Reveal
        </Button>
      </div>
      {reveal.error && (
        <p className="paramkey__error" id={`${id}-error`} role="alert">
          {reveal.error}
        </p>
      )}
    </form>
  );
}

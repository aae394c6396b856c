import { describe, expect, it } from 'vitest';
import { Connector, lazyStore } from './lazy-store';

interface CounterStore {
  add(n: number): Promise<number>;
  pending(): number;
  close(): Promise<void>;
}

function counterStore() {
  let total = 0;
  const state = { closed: false };
  const store: CounterStore = {
    add: async (n) => (total += n),
    pending: () => 7,
    close: async () => void (state.closed = true),
  };
  return { store, state };
}

const silent = { error() {} };

describe('lazyStore', () => {
  it('runs every method on the store once connected, answering synchronous ones from whileConnecting before', async () => {
    const { store, state } = counterStore();
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const lazy = lazyStore(new Connector('counter', () => opened.then(() => store), silent), { pending: () => 0 });
    expect(lazy.pending()).toBe(0);
    const first = lazy.add(2);
    open();
    expect(await first).toBe(2);
    expect(await lazy.add(3)).toBe(5);
    expect(lazy.pending()).toBe(7);
    // Not a thenable: awaiting the store itself calls nothing.
    expect(await Promise.resolve(lazy)).toBe(lazy);
    await lazy.close();
    expect(state.closed).toBe(true);
    await expect(lazy.add(1)).rejects.toThrow('counter: store is closed');
  });

  it('fails calls and ready() with the reason the store cannot open, logs it once, and retries later', async () => {
    const logged: string[] = [];
    let attempts = 0;
    const { store } = counterStore();
    const connector = new Connector<CounterStore>(
      'counter at db:1',
      async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('connection refused');
        return store;
      },
      { error: (what, err) => logged.push(`${what}: ${err.message}`) },
    );
    const lazy = lazyStore(connector);
    await expect(lazy.ready()).rejects.toThrow('connection refused');
    // Within the retry pause the same failure answers at once, without a second attempt.
    await expect(lazy.add(1)).rejects.toThrow('connection refused');
    expect(attempts).toBe(1);
    expect(logged).toEqual(['cannot open counter at db:1 (retrying on next use): connection refused']);
    await expect.poll(() => lazy.ready().then(() => 'ready', () => 'failed'), { timeout: 10_000, interval: 250 }).toBe('ready');
    expect(await lazy.add(4)).toBe(4);
    await lazy.close();
  });
});

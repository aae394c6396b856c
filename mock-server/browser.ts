import { setupWorker } from 'msw/browser';
import type { MockScenario } from './data/core-seed';
import { resetDb, restoreDb, snapshotDb } from './db';
import { handlers } from './handlers';

const STORAGE_KEY = 'tapscope-mock-db';
const SCENARIOS: readonly MockScenario[] = ['default', 'fresh'];

/**
 * Starts the mock API in the browser (`npm run dev`). The db is kept in sessionStorage
 * so a reload keeps what you did. `?mock=fresh` starts a new installation (setup
 * screen); `?mock=default` restores the seed.
 */
export async function startMockWorker(): Promise<void> {
  const url = new URL(window.location.href);
  const scenario = url.searchParams.get('mock') as MockScenario | null;
  if (scenario && SCENARIOS.includes(scenario)) {
    resetDb(scenario);
    sessionStorage.setItem(STORAGE_KEY, snapshotDb());
    url.searchParams.delete('mock');
    window.history.replaceState(window.history.state, '', url);
  } else {
    const saved = sessionStorage.getItem(STORAGE_KEY);
    if (saved) restoreDb(saved);
  }

  const worker = setupWorker(...handlers);
  worker.events.on('response:mocked', () => sessionStorage.setItem(STORAGE_KEY, snapshotDb()));
  await worker.start({
    quiet: true,
    onUnhandledRequest(request, print) {
      // Vite's own files pass through; an API call without a handler is a bug worth seeing.
      if (new URL(request.url).pathname.startsWith('/api/')) print.warning();
    },
  });
}

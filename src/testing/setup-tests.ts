// First: the mock server's seeds read the clock when they load.
import './fixed-clock';
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { resetDb } from '../../mock-server/db';
import { server } from '../../mock-server/node';

// Lazy routes compile on first use under Vitest, and other work may share a 2-core machine:
// give findBy* queries and waitFor time for that (a passing wait returns as soon as it holds).
configure({ asyncUtilTimeout: 15_000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  resetDb();
});
afterAll(() => server.close());

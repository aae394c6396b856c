import { setupServer } from 'msw/node';
import { handlers } from './handlers';

/** The mock API for Vitest (src/testing/setup-tests.ts). */
export const server = setupServer(...handlers);

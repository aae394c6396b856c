// Placeholder owned by the counters feature engineer: MSW handlers for counters.
import type { HttpHandler } from 'msw';

export const countersHandlers: HttpHandler[] = [];

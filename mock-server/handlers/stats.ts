// Placeholder owned by the stats feature engineer: MSW handlers for stats.
import type { HttpHandler } from 'msw';

export const statsHandlers: HttpHandler[] = [];

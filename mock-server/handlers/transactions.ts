// Placeholder owned by the transactions feature engineer: MSW handlers for transactions.
import type { HttpHandler } from 'msw';

export const transactionsHandlers: HttpHandler[] = [];

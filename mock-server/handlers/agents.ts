// Placeholder owned by the agents feature engineer: MSW handlers for agents.
import type { HttpHandler } from 'msw';

export const agentsHandlers: HttpHandler[] = [];

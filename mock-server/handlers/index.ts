import type { HttpHandler } from 'msw';
import { agentPackageHandlers } from './agent-package';
import { agentsHandlers } from './agents';
import { alertsHandlers } from './alerts';
import { authHandlers } from './auth';
import { countersHandlers } from './counters';
import { hitmapHandlers } from './hitmap';
import { licensesHandlers } from './licenses';
import { projectsHandlers } from './projects';
import { regionsHandlers } from './regions';
import { statsHandlers } from './stats';
import { tracesHandlers } from './traces';
import { transactionsHandlers } from './transactions';
import { usersHandlers } from './users';

/** Every mock API handler; used by the browser worker (npm run dev) and by Vitest. */
export const handlers: HttpHandler[] = [
  ...authHandlers,
  ...usersHandlers,
  ...regionsHandlers,
  ...projectsHandlers,
  ...licensesHandlers,
  ...agentPackageHandlers,
  ...agentsHandlers,
  ...countersHandlers,
  ...hitmapHandlers,
  ...statsHandlers,
  ...transactionsHandlers,
  ...tracesHandlers,
  ...alertsHandlers,
];

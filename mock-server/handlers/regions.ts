import { http, HttpResponse } from 'msw';
import { apiPaths } from '../../src/api/paths';
import type { Region } from '../../src/api/regions';
import { db, requireUser } from '../db';

export const regionsHandlers = [
  http.get(apiPaths.regions, ({ request }) => {
    const user = requireUser(request);
    if (user instanceof Response) return user;
    return HttpResponse.json<{ regions: Region[] }>({ regions: db.regions });
  }),
];

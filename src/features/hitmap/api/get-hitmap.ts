import { apiBinary } from '../../../api/client';
import { decodeHitmap, type HitmapColumns } from '../../../api/hitmap';
import { apiPaths } from '../../../api/paths';

/** Server-side point limit per request (the contract's default and our budget). */
export const HITMAP_FETCH_LIMIT = 1_000_000;

export interface HitmapFetchQuery {
  from: number;
  to: number;
  cursor?: number;
  url?: string;
  agent?: number;
  error?: 'true' | 'false';
  limit?: number;
}

/**
 * Fetches and decodes hitmap points (columnar binary, no per-point parsing). `signal` aborts
 * the request itself, so a range the user left costs no more bandwidth.
 */
export async function fetchHitmap(pcode: string, q: HitmapFetchQuery, signal?: AbortSignal): Promise<HitmapColumns> {
  const buf = await apiBinary(apiPaths.hitmap(pcode), { limit: HITMAP_FETCH_LIMIT, ...q }, signal);
  return decodeHitmap(buf);
}

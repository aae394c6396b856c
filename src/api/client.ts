import type { z } from 'zod';
import { apiErrorSchema, CLIENT_HEADER, CLIENT_HEADER_VALUE } from './errors';

/** An API error as the console sees it: status, code, and a message fit to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface SendOptions {
  body?: unknown;
  query?: Record<string, unknown>;
  /** Aborts the request (TanStack Query passes one to every query function). */
  signal?: AbortSignal;
}

async function send(method: Method, path: string, { body, query, signal }: SendOptions = {}) {
  const qs = query
    ? new URLSearchParams(
        Object.entries(query)
          .filter(([, v]) => v !== undefined && v !== null && v !== '')
          .map(([k, v]) => [k, String(v)]),
      ).toString()
    : '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers[CLIENT_HEADER] = CLIENT_HEADER_VALUE;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(qs ? `${path}?${qs}` : path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (e) {
    // A cancelled request is not a network failure: let its AbortError through to the caller.
    if (signal?.aborted) throw e;
    throw new ApiError(0, 'network', 'Cannot reach the Tapscope server. Check that it is running.');
  }
  if (!res.ok) {
    let parsed: z.infer<typeof apiErrorSchema> | undefined;
    try {
      parsed = apiErrorSchema.parse(await res.json());
    } catch {
      parsed = undefined;
    }
    throw new ApiError(
      res.status,
      parsed?.error.code ?? 'http_' + res.status,
      parsed?.error.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
      parsed?.error.field,
    );
  }
  return res;
}

/** Calls the API and parses the JSON answer with `schema`; a contract mismatch is an error. */
export async function apiRequest<S extends z.ZodTypeAny>(
  schema: S,
  method: Method,
  path: string,
  options: SendOptions = {},
): Promise<z.infer<S>> {
  const res = await send(method, path, options);
  const json: unknown = res.status === 204 ? {} : await res.json();
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new ApiError(res.status, 'contract', `Unexpected answer from ${path}: ${result.error.issues[0]?.message}`);
  }
  return result.data;
}

/** Calls an API that answers with no body we need (204 or an ignored body). */
export async function apiSend(method: Method, path: string, body?: unknown): Promise<void> {
  await send(method, path, { body });
}

/** Calls an API that answers with binary data. */
export async function apiBinary(path: string, query?: Record<string, unknown>, signal?: AbortSignal): Promise<ArrayBuffer> {
  const res = await send('GET', path, { query, signal });
  return res.arrayBuffer();
}

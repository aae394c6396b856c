import { z } from 'zod';

/** Every API error has this body, with a 4xx/5xx status. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** The request field the error is about, when there is one. */
    field: z.string().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Error codes shared by collector, mock server and console. */
export const errorCodes = {
  badRequest: 'bad_request',
  validation: 'validation',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  /** Sign-in with the right password to an account an administrator disabled (403). */
  accountDisabled: 'account_disabled',
  notFound: 'not_found',
  conflict: 'conflict',
  rateLimited: 'rate_limited',
  csrf: 'csrf',
  setupDone: 'setup_done',
  setupToken: 'setup_token',
  internal: 'internal',
} as const;

/** Header every non-GET request must carry (CSRF defence together with SameSite cookies). */
export const CLIENT_HEADER = 'x-tapscope-client';
export const CLIENT_HEADER_VALUE = 'console';

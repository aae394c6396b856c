import { z } from 'zod';

export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'Username must be at least 3 characters')
  .max(64, 'Username must be at most 64 characters')
  .regex(/^[a-zA-Z0-9._@-]+$/, 'Username may use letters, digits and . _ @ - only');

export const passwordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters')
  .max(256, 'Password must be at most 256 characters');

/**
 * POST /api/v1/setup — create the first admin; refused once a user exists. `token` is the
 * one-time setup token the collector prints at start ("setup token: …"); a missing or wrong
 * token is refused with 403 `setup_token`.
 */
export const setupRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  token: z
    .string()
    .trim()
    .min(1, "Enter the setup token from the collector's output")
    .max(200, 'That is not a setup token'),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

/** POST /api/v1/session — sign in. */
export const signInRequestSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(64),
  password: z.string().min(1, 'Enter your password').max(256),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  admin: z.boolean(),
  createdAt: z.string(),
  /** ISO 8601 time an administrator disabled the account; null while it may sign in. */
  disabledAt: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

/** GET /api/v1/me — 401 when signed out. Also the body of POST /session and POST /setup. */
export const meSchema = z.object({ user: userSchema });
export type Me = z.infer<typeof meSchema>;

/** GET /api/v1/setup — whether the first admin still has to be created. */
export const setupStatusSchema = z.object({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof setupStatusSchema>;

/** POST /api/v1/users — an admin creates another user. */
export const createUserRequestSchema = z.object({ username: usernameSchema, password: passwordSchema });
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/** GET /api/v1/users — every user, for administrators; never a password hash. */
export const userListSchema = z.object({ users: z.array(userSchema) });
export type UserList = z.infer<typeof userListSchema>;

/**
 * PATCH /api/v1/users/:id — an administrator disables (`true`) or enables (`false`) a user;
 * answers `{user}`. Disabling ends every session of the user at once. Refused with 409 for
 * one's own account and for the last enabled administrator.
 */
export const updateUserRequestSchema = z.object({ disabled: z.boolean() });
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

// DELETE /api/v1/users/:id — an administrator deletes a user with their sessions and
// memberships (204, no body). Refused with 409 for one's own account, the last enabled
// administrator and the only owner of a project (the message names the project).

/**
 * POST /api/v1/session with the right password for a disabled account: 403 `account_disabled`
 * with this message. A wrong password gets the usual 401, disabled or not.
 */
export const USER_DISABLED_MESSAGE = 'This account is disabled. Ask an administrator to enable it.';

/**
 * A write refused because it would duplicate a unique value (a project name, a username).
 * `field` names the request field so the API can answer 409 with it.
 */
export class MetaConflictError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'MetaConflictError';
  }
}

/** True for SQLite's UNIQUE / PRIMARY KEY violations. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// The error class is engine-neutral (../meta-errors.ts); re-exported for imports written before the move.
export { MetaConflictError } from '../meta-errors';

/** True for SQLite's UNIQUE / PRIMARY KEY violations. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

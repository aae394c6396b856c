/** A schema step of the SQL engines (sqlite/, postgres/); each engine writes its own SQL. */
export interface SqlMigration {
  /** 1, 2, 3 … in order; never renumber or edit a shipped migration. */
  version: number;
  name: string;
  sql: string;
}

/**
 * The migrations a schema at version `current` still needs, oldest first. Every engine runs
 * them its own way (transaction, lock); what is shared is the refusal of a schema written by a
 * newer Tapscope rather than running against one this build does not know. `what` names the
 * database in that error.
 */
export function pendingMigrations<M extends { version: number }>(migrations: readonly M[], current: number, what: string): M[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest)
    throw new Error(
      `${what} was written by a newer Tapscope (schema version ${current}, this build knows ${latest}); upgrade Tapscope`,
    );
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => m.version > current);
}

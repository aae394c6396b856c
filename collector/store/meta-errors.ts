/**
 * A write refused because it would duplicate a unique value (a project name, a username) or
 * break a rule that spans rows (the last administrator, a project's only owner). `field` names
 * the request field, when there is one, so the API can answer 409 with it. Every meta engine
 * (sqlite/, postgres/) throws this same class, so the routes never look at engine errors.
 */
export class MetaConflictError extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'MetaConflictError';
  }
}

/** The conflict of a project name already used by a live project (names compare case-insensitively). */
export const projectNameTaken = (name: string) =>
  new MetaConflictError('name', `A project named "${name}" already exists. Choose another name.`);

/** Disabling or deleting the last enabled administrator would lock everyone out of administration. */
export const lastAdmin = (field: string | undefined) =>
  new MetaConflictError(
    field,
    'This is the last enabled administrator. Tapscope needs one to manage users, so it stays.',
  );

/** Deleting a user who is a project's only owner would leave the project without one. */
export function onlyOwner(username: string, projectNames: readonly string[]): MetaConflictError {
  const names = projectNames.map((n) => `"${n}"`).join(', ');
  const them = projectNames.length === 1 ? 'it' : 'each';
  return new MetaConflictError(
    undefined,
    `${username} is the only owner of ${names}. Make someone else an owner of ${them} first, or delete ${projectNames.length === 1 ? 'the project' : 'those projects'}.`,
  );
}

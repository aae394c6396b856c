/**
 * A write refused because it would duplicate a unique value (a project name, a username).
 * `field` names the request field so the API can answer 409 with it. Every meta engine
 * (sqlite/, postgres/) throws this same class, so the routes never look at engine errors.
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

/** The conflict of a project name already used by a live project (names compare case-insensitively). */
export const projectNameTaken = (name: string) =>
  new MetaConflictError('name', `A project named "${name}" already exists. Choose another name.`);

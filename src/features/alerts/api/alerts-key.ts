/**
 * The prefix of every alert query of a project. It sits under the project's key, so deleting a
 * project drops them; a change to rules, channels or silences invalidates the whole prefix, since
 * each can change what the others show (a rule's state, an incident's notifications).
 */
export function alertsKey(pcode: string) {
  return ['projects', pcode, 'alerts'] as const;
}

import { ApiError } from '../../../api/client';

/**
 * The form field an API error names, or null. The collector names nested fields with dots
 * (`scope.agentIds`, `smtp.host`, `to.0`) and the preview's with a `rule.` prefix; a form
 * marks the top-level field.
 */
export function apiErrorField<F extends string>(error: unknown, fields: readonly F[]): F | null {
  if (!(error instanceof ApiError) || !error.field) return null;
  const path = error.field.replace(/^rule\./, '').split('.');
  const top = path[0] === 'smtp' && path[1] ? `smtp.${path[1]}` : path[0]!;
  if ((fields as readonly string[]).includes(top)) return top as F;
  if ((fields as readonly string[]).includes(path[0]!)) return path[0] as F;
  return null;
}

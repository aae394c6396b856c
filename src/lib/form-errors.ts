import { useCallback, useState } from 'react';
import type { ZodError } from 'zod';
import { ApiError } from '../api/client';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** The first message per top-level field of a failed zod parse. */
export function zodFieldErrors<F extends string>(error: ZodError): FieldErrors<F> {
  const out: Partial<Record<string, string>> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    if (key && out[key] === undefined) out[key] = issue.message;
  }
  return out as FieldErrors<F>;
}

/**
 * Splits an API error into an inline error next to the field it names (when the form
 * has that field) or an error for the whole form.
 */
export function splitApiError<F extends string>(
  error: unknown,
  fields: readonly F[],
): { fieldErrors: FieldErrors<F>; formError: unknown } {
  if (error instanceof ApiError && error.field && (fields as readonly string[]).includes(error.field)) {
    return { fieldErrors: { [error.field]: error.message } as FieldErrors<F>, formError: null };
  }
  return { fieldErrors: {}, formError: error };
}

/**
 * Inline field errors of a form; `clearError(field)` drops a field's error as soon as
 * the user edits it, so a fixed field does not keep saying it is wrong.
 */
export function useFieldErrors<F extends string>() {
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const clearError = useCallback(
    (field: F) => setErrors((e) => (e[field] === undefined ? e : { ...e, [field]: undefined })),
    [],
  );
  return [errors, setErrors, clearError] as const;
}

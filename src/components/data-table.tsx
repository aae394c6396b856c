import type { ReactNode } from 'react';

/**
 * A table of records in the console's style: a header row of column names, the rows the caller
 * renders, and a wrapper that scrolls sideways on a narrow screen. `false` columns are left out
 * (e.g. a column only some users see); `actions` adds a last column for per-row buttons, named
 * for screen readers only.
 */
export function DataTable({
  label,
  columns,
  actions = false,
  className,
  wrapClassName,
  children,
}: {
  /** The table's accessible name. */
  label: string;
  columns: ReadonlyArray<string | false>;
  actions?: boolean;
  /** Added to `table` (e.g. `table-compact`). */
  className?: string;
  /** Added to the `table-wrap` wrapper. */
  wrapClassName?: string;
  /** The rows (`tr` elements). */
  children: ReactNode;
}) {
  return (
    <div className={wrapClassName ? `table-wrap ${wrapClassName}` : 'table-wrap'}>
      <table className={className ? `table ${className}` : 'table'} aria-label={label}>
        <thead>
          <tr>
            {columns.map(
              (name) =>
                name !== false && (
                  <th key={name} scope="col">
                    {name}
                  </th>
                ),
            )}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

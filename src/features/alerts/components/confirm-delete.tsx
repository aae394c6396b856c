import type { UseMutationResult } from '@tanstack/react-query';
import { ConfirmDialog } from '../../../components/dialog';
import { ErrorBanner } from '../../../components/error-banner';

/**
 * Asks before deleting `item` (a rule, a channel) with the `remove` mutation: open while `item`
 * is set, closed once it is deleted; the API's refusal is shown in the dialog.
 */
export function ConfirmDelete<T extends { id: number; name: string }>({
  item,
  remove,
  onClose,
  title,
  describe,
  confirmLabel,
}: {
  item: T | null;
  remove: UseMutationResult<unknown, Error, number>;
  onClose: () => void;
  title: string;
  /** What deleting does, from the item's name. */
  describe: (name: string) => string;
  confirmLabel: string;
}) {
  return (
    <ConfirmDialog
      open={item !== null}
      onClose={() => {
        onClose();
        remove.reset();
      }}
      onConfirm={() => item && remove.mutate(item.id, { onSuccess: onClose })}
      busy={remove.isPending}
      title={title}
      description={describe(item?.name ?? '')}
      confirmLabel={confirmLabel}
    >
      {remove.isError && <ErrorBanner error={remove.error} />}
    </ConfirmDialog>
  );
}

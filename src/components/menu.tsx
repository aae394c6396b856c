import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import './menu.css';

/**
 * A button that opens a popover menu. Closes on Escape, on a click outside and after
 * a choice; the items are ordinary links and buttons rendered by `children(close)`.
 */
export function Menu({
  trigger,
  triggerLabel,
  children,
  align = 'left',
  className,
}: {
  trigger: ReactNode;
  triggerLabel: string;
  children: (close: () => void) => ReactNode;
  align?: 'left' | 'right';
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return;
    function onDown(e: MouseEvent) {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    }
    function onKey(e: KeyboardEvent) {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    }
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div className={['menu', className].filter(Boolean).join(' ')} ref={root}>
      <button
        ref={button}
        type="button"
        className="menu-trigger"
        aria-label={triggerLabel}
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {trigger}
        <svg className="menu-chevron" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">
          <path d="M3 4.5l3 3 3-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
      </button>
      {open && (
        <div className={`menu-popover menu-${align}`} id={menuId}>
          {children(() => setOpen(false))}
        </div>
      )}
    </div>
  );
}

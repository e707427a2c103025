// Focus management shared by every modal (confirm dialogs, Review's panels): focus moves
// into the dialog when it opens, Tab and Shift+Tab stay inside it, Escape closes it, and
// focus returns to where it was when it closes.
import { useEffect, useRef, type RefObject } from 'react';
import { isImeKey } from '../actions/keys';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/**
 * Returns the ref for the dialog element (give it tabIndex={-1}). `initial` is the element
 * to focus first (default: the dialog itself; Tab then reaches its first control).
 */
export function useDialog<T extends HTMLElement>(onClose: () => void, initial?: RefObject<HTMLElement | null>): RefObject<T | null> {
  const ref = useRef<T>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // The dialog itself by default, not its first button: a dialog opened by Enter would
    // otherwise receive that same Enter as a click on the button now focused.
    (initial?.current ?? root).focus();
    const onKey = (e: KeyboardEvent) => {
      // Escape while an IME composes cancels the composition, not the dialog.
      if (e.key === 'Escape' && !isImeKey(e)) {
        e.preventDefault();
        e.stopPropagation();
        close.current();
      } else if (e.key === 'Tab') {
        const items = focusables(root);
        if (items.length === 0) {
          e.preventDefault();
          root.focus();
          return;
        }
        const first = items[0];
        const last = items[items.length - 1];
        const inside = root.contains(document.activeElement);
        if (e.shiftKey && (!inside || document.activeElement === first || document.activeElement === root)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
          e.preventDefault();
          first.focus();
        }
      }
    };
    // Capture phase: the dialog sees keys before page-wide shortcuts do.
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      if (before?.isConnected) before.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return ref;
}

// A small modal for destructive actions. Enter confirms, Escape cancels (focus: useDialog).
import { useRef, type ReactNode } from 'react';
import { useDialog } from './useDialog';

export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLButtonElement>(null);
  const dialog = useDialog<HTMLDivElement>(props.onCancel, ref);
  return (
    <div className="modal-backdrop" onMouseDown={props.onCancel}>
      <div className="modal" ref={dialog} tabIndex={-1} role="dialog" aria-modal="true" aria-label={props.title} onMouseDown={(e) => e.stopPropagation()}>
        <h2>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" ref={ref} className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

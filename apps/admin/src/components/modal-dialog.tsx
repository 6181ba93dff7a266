import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

export interface ModalDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The buttons, in order; the first gets the focus when the dialog opens. */
  actions: ReactNode;
  /** Escape (or the browser closing it); the caller decides whether that cancels. */
  onClose: () => void;
}

/**
 * A modal on the native <dialog> like ConfirmDialog (focus kept inside, Escape closes, focus back
 * where it was), for questions that take more than yes or no: a form, a count, progress. Its own
 * title id, so several can sit on one page and each is named by its own title.
 */
export function ModalDialog({ open, title, children, actions, onClose }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      element.querySelector<HTMLElement>('.dialog-actions button')?.focus();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);
  // Taken off the page while open (its owner unmounted it): closed first, so the browser gives
  // the focus back to where it was.
  useLayoutEffect(() => {
    const element = dialog.current;
    return () => {
      if (element?.open) element.close();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{open && children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

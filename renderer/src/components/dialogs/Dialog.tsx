/**
 * A modal dialog on the native <dialog> element: focus is trapped, Escape and (unless the
 * dialog holds a form worth keeping) a click on the backdrop close it. Mount it to open it;
 * unmount it to close it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../../i18n/useT.js';
import { Icon } from '../common/Icon.js';
import './dialogs.css';

interface DialogProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  size?: 'small' | 'medium' | 'large' | 'wide';
  /** Shown after the title (e.g. "1 of 3"). */
  headerExtra?: ReactNode;
  /** false for dialogs with typed input: a stray click must not throw it away. */
  dismissOnBackdrop?: boolean;
  /** Extra attributes on the <dialog> (data-kind and the like). */
  data?: Readonly<Record<`data-${string}`, string>>;
  /** Show the × button (default true). */
  closable?: boolean;
}

export function Dialog({
  title,
  onClose,
  children,
  footer,
  testId,
  size = 'medium',
  headerExtra,
  dismissOnBackdrop = true,
  data,
  closable = true,
}: DialogProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // Focus the marked control, else the dialog itself (not its × button).
    (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog).focus();
    return () => {
      dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      tabIndex={-1}
      aria-labelledby={titleId}
      data-testid={testId}
      {...data}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (dismissOnBackdrop && event.target === event.currentTarget) onClose();
      }}
    >
      <div className="dialog-frame">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {headerExtra}
          {closable && (
            <button type="button" className="icon-button dialog-close" aria-label={t('common.close')} title={t('common.close')} onClick={onClose}>
              <Icon name="close" size={15} />
            </button>
          )}
        </header>
        <div className="dialog-body">{children}</div>
        {footer && <footer className="dialog-footer">{footer}</footer>}
      </div>
    </dialog>
  );
}

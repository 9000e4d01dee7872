/** "Are you sure?" in the app's own style; Cancel has the focus so Enter is safe. */
import type { ReactNode } from 'react';
import { useT } from '../../i18n/useT.js';
import { Dialog } from './Dialog.js';

interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
  /** More content under the sentence (facts to check before confirming). */
  children?: ReactNode;
  testId?: string;
}

export function ConfirmDialog({ title, body, confirmLabel, danger, onConfirm, onCancel, children, testId = 'confirm-dialog' }: ConfirmDialogProps) {
  const t = useT();
  return (
    <Dialog
      title={title}
      onClose={onCancel}
      size="small"
      testId={testId}
      footer={
        <>
          <button type="button" className="button" data-autofocus onClick={onCancel} data-testid="confirm-cancel">
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={`button ${danger ? 'button-danger' : 'button-primary'}`}
            data-testid="confirm-ok"
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{body}</p>
      {children}
    </Dialog>
  );
}

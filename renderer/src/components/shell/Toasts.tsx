/** Error notices stacked above the status bar, each dismissable. */
import { errorDetailText, errorMessageKey } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { useToastStore } from '../../store/toastStore.js';
import { Icon } from '../common/Icon.js';

export function Toasts() {
  const t = useT();
  const toasts = useToastStore((state) => state.toasts);
  const dismiss = useToastStore((state) => state.dismiss);
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" data-testid="toasts">
      {toasts.map((toast) => {
        const detail = errorDetailText(toast.error);
        return (
          <div key={toast.id} className="toast" role="alert" data-testid="toast">
            <Icon name="alertCircle" className="toast-icon" />
            <div className="toast-body">
              <p className="toast-title">{t(toast.titleKey, toast.titleParams)}</p>
              <p>{t(errorMessageKey(toast.error))}</p>
              {detail && <pre className="detail-text">{detail}</pre>}
            </div>
            <button
              type="button"
              className="icon-button"
              title={t('common.dismiss')}
              aria-label={t('common.dismiss')}
              onClick={() => dismiss(toast.id)}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        );
      })}
    </div>
  );
}

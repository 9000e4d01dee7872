/** Full-window error when the window cannot talk to main at all, with Retry. */
import { errorDetailText, errorMessageKey, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { startApp } from '../../services/startup.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';

export function StartupError({ error, retrying }: { error: ErrorInfo; retrying: boolean }) {
  const t = useT();
  const detail = errorDetailText(error);
  // Before start-up there is no host to blame: an unreachable service is a transport failure.
  const messageKey = error.code === 'host-unavailable' || error.code === 'transport-closed' ? 'error.transport' : errorMessageKey(error);
  return (
    <div className="fullscreen-center">
      <div className="startup-error" data-testid="startup-error" role="alert">
        <Icon name="alertCircle" size={32} className="startup-error-icon" />
        <h1>{t('startup.title')}</h1>
        <p>{t('startup.body')}</p>
        <p className="startup-error-message">{t(messageKey)}</p>
        {detail && (
          <details>
            <summary>{t('startup.details')}</summary>
            <pre className="detail-text">{detail}</pre>
          </details>
        )}
        <button type="button" className="button button-primary" disabled={retrying} onClick={() => void startApp()}>
          {retrying && <Spinner size="small" />}
          {retrying ? t('startup.retrying') : t('startup.retry')}
        </button>
      </div>
    </div>
  );
}

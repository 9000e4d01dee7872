/** What a console's connection is doing, with the action that helps (take over, retry). */
import { useState } from 'react';
import { errorMessageKey } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { Spinner } from '../common/Spinner.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import type { ConsoleSessionState } from './consoleSession.js';

export function ConsoleStatusLine({ session }: { session: ConsoleSessionState }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const { status, error } = session;
  const busy = status === 'connecting' || status === 'reconnecting';
  return (
    <span className={`console-status console-status-${status}`} data-testid="console-status" data-status={status} role="status">
      {busy && <Spinner size="small" />}
      <span>{t(`console.status.${status}`)}</span>
      {status === 'failed' && error && <span className="console-status-detail" title={error.detail ?? error.message}>{t(errorMessageKey(error))}</span>}
      {status === 'busy' && (
        <button type="button" className="button button-small" onClick={() => setAsking(true)} data-testid="console-take-over">
          {t('console.takeOver')}
        </button>
      )}
      {status === 'failed' && (
        <button type="button" className="button button-small" onClick={() => session.reconnect()} data-testid="console-retry">
          {t('console.retry')}
        </button>
      )}
      {asking && (
        <ConfirmDialog
          title={t('console.takeOverTitle')}
          body={t('console.takeOverBody')}
          confirmLabel={t('console.takeOver')}
          onCancel={() => setAsking(false)}
          onConfirm={() => {
            setAsking(false);
            session.reconnect(true);
          }}
        />
      )}
    </span>
  );
}

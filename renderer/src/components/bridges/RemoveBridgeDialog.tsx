/** Remove bridge: puts the uplink back exactly as it was before the bridge, behind the same rollback. */
import { useState } from 'react';
import type { BridgeOutcome } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { BridgeOutcomeNotice } from './BridgeViews.js';

const ROLLBACK_SECONDS = 60;

export function RemoveBridgeDialog({ hostId, bridge, iface, onClose }: { hostId: string; bridge: string; iface: string; onClose(): void }) {
  const t = useT();
  const [state, setState] = useState<{ kind: 'ask' } | { kind: 'working' } | { kind: 'done'; outcome: BridgeOutcome }>({ kind: 'ask' });
  const [error, setError] = useState<ErrorInfo>();
  const remove = async () => {
    setState({ kind: 'working' });
    setError(undefined);
    try {
      setState({ kind: 'done', outcome: await requireClient().call('hostnet.bridge.remove', { hostId, bridge, rollbackSeconds: ROLLBACK_SECONDS }) });
    } catch (err) {
      setError(toErrorInfo(err));
      setState({ kind: 'ask' });
    }
  };
  return (
    <Dialog
      title={t('hostnet.removeTitle', { bridge })}
      onClose={state.kind === 'working' ? () => undefined : onClose}
      closable={state.kind !== 'working'}
      size="medium"
      testId="remove-bridge"
      footer={
        state.kind === 'ask' ? (
          <>
            <button type="button" className="button" data-autofocus onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="button" className="button button-danger" data-testid="remove-bridge-ok" onClick={() => void remove()}>
              {t('hostnet.removeBridge')}
            </button>
          </>
        ) : state.kind === 'done' ? (
          <button type="button" className="button button-primary" data-testid="bridge-close" onClick={onClose}>
            {t('common.close')}
          </button>
        ) : null
      }
    >
      {error && <ErrorNotice title={t('hostnet.applyFailed')} error={error} />}
      {state.kind === 'ask' && <p>{t('hostnet.removeBody', { bridge, iface, seconds: ROLLBACK_SECONDS })}</p>}
      {state.kind === 'working' && <Spinner label={t('hostnet.applying', { seconds: ROLLBACK_SECONDS })} />}
      {state.kind === 'done' && <BridgeOutcomeNotice outcome={state.outcome} bridge={bridge} iface={iface} action="remove" />}
    </Dialog>
  );
}

/**
 * A VM's Console section: the graphical console (VNC) or the text console (serial), picked
 * above. A VM without what is asked for says so and offers to add it through the settings
 * editor (it applies after the guest's next start); a SPICE-only VM is told why the viewer
 * needs VNC.
 */
import { useCallback, useEffect, useState } from 'react';
import type { VmConsoleInfo, VmSettingsChange, VmSummary } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { useToastStore } from '../../store/toastStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import type { VmSectionProps } from '../vms/vmSections.js';
import { SerialConsole } from './SerialConsole.js';
import { VncConsole } from './VncConsole.js';
import './consoles.css';

type Kind = 'graphical' | 'serial';

function isActive(vm: VmSummary): boolean {
  return vm.state === 'running' || vm.state === 'paused' || vm.state === 'blocked' || vm.state === 'shutting-down' || vm.state === 'pm-suspended';
}

export function VmConsoleSection({ hostId, vm, hostConnected }: VmSectionProps) {
  const t = useT();
  const [info, setInfo] = useState<VmConsoleInfo | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [kind, setKind] = useState<Kind | undefined>();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<Kind | undefined>();
  const [reload, setReload] = useState(0);
  const running = isActive(vm);

  useEffect(() => {
    if (!hostConnected) return undefined;
    let live = true;
    requireClient()
      .call('vm.console.info', { hostId, name: vm.name })
      .then(
        (result) => {
          if (!live) return;
          setInfo(result);
          setError(undefined);
          setKind((previous) => previous ?? (result.vnc || !result.serial ? 'graphical' : 'serial'));
        },
        (failure: unknown) => live && setError(toErrorInfo(failure)),
      );
    return () => {
      live = false;
    };
  }, [hostId, vm.name, running, hostConnected, reload]);

  const add = useCallback(
    async (what: Kind) => {
      setAdding(true);
      try {
        const client = requireClient();
        const settings = await client.call('vm.settings.read', { hostId, name: vm.name });
        const change: VmSettingsChange = what === 'graphical' ? { field: 'vnc', listen: '127.0.0.1' } : { field: 'serialConsole' };
        const result = await client.call('vm.settings.apply', { hostId, name: vm.name, revision: settings.revision, changes: [change] });
        if (result.outcome === 'changed-on-host') throw Object.assign(new Error('The definition changed on the host; try again.'), { code: 'libvirt-error' });
        setAdded(what);
        setReload((value) => value + 1);
      } catch (failure) {
        useToastStore.getState().showError(what === 'graphical' ? 'console.addVncFailed' : 'console.addSerialFailed', toErrorInfo(failure), { name: vm.name });
      } finally {
        setAdding(false);
      }
    },
    [hostId, vm.name],
  );

  if (error) return <ErrorNotice title={t('console.loadFailed')} error={error} />;
  if (!info || !kind) {
    return (
      <p className="loading-line">
        <Spinner size="small" /> {t('console.loading')}
      </p>
    );
  }

  const offer = (what: Kind, text: string, button: string) => (
    <div className="callout callout-info" role="note" data-testid={`console-missing-${what}`}>
      <Icon name="info" className="callout-icon" />
      <div className="callout-body">
        <p>{text}</p>
        {added === what ? (
          <p data-testid="console-added">{t('console.addedAfterRestart')}</p>
        ) : (
          <div className="callout-actions">
            <button type="button" className="button" disabled={adding || !hostConnected} onClick={() => void add(what)} data-testid={`console-add-${what}`}>
              {button}
            </button>
          </div>
        )}
      </div>
    </div>
  );

  let body;
  if (kind === 'graphical') {
    if (!info.vnc) body = offer('graphical', info.spice ? t('console.spiceOnly') : t('console.noVnc'), t('console.addVnc'));
    else if (running && info.running && info.vnc.transport === 'none') body = <p className="callout callout-info">{t('console.vncListensNowhere')}</p>;
    else body = <VncConsole key={`${hostId}/${vm.name}`} hostId={hostId} name={vm.name} running={running} hostConnected={hostConnected} />;
  } else if (!info.serial) {
    body = offer('serial', t('console.noSerial'), t('console.addSerial'));
  } else {
    body = <SerialConsole key={`${hostId}/${vm.name}`} hostId={hostId} name={vm.name} running={running} hostConnected={hostConnected} />;
  }

  return (
    <section className="page-section console-section" data-testid="vm-console" data-console-kind={kind}>
      <div className="console-kinds" role="radiogroup" aria-label={t('console.kind')}>
        {(['graphical', 'serial'] as const).map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={kind === option}
            className={`button button-small${kind === option ? ' button-primary' : ''}`}
            onClick={() => setKind(option)}
            data-testid={`console-kind-${option}`}
          >
            {t(option === 'graphical' ? 'console.graphical' : 'console.serial')}
          </button>
        ))}
      </div>
      {body}
    </section>
  );
}

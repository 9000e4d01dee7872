/**
 * The host tab's Interfaces section: the host's own NICs, bonds, VLANs and bridges with their
 * addresses, speed and attached guests, what configures them, and the bridge assistant.
 */
import { useCallback, useEffect, useState } from 'react';
import { BRIDGEABLE_KINDS, type HostInterface, type HostInterfacesInfo } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatDateTime } from '../../format/formatDateTime.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { StateBadge } from '../common/StateBadge.js';
import type { HostSectionProps } from '../hosts/hostSections.js';
import { BridgeAssistantDialog } from './BridgeAssistantDialog.js';
import { RemoveBridgeDialog } from './RemoveBridgeDialog.js';
import './bridges.css';

function speedText(mbps: number | undefined): string {
  if (mbps === undefined) return '';
  return mbps >= 1000 ? `${mbps / 1000} Gbit/s` : `${mbps} Mbit/s`;
}

export function HostInterfacesSection({ host, connected }: HostSectionProps) {
  const t = useT();
  const [info, setInfo] = useState<HostInterfacesInfo>();
  const [error, setError] = useState<ErrorInfo>();
  const [loading, setLoading] = useState(false);
  const [assistantFor, setAssistantFor] = useState<HostInterface>();
  const [removing, setRemoving] = useState<string>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setInfo(await requireClient().call('hostnet.interfaces', { hostId: host.id }));
      setError(undefined);
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setLoading(false);
    }
  }, [host.id]);

  // The demo hypervisor is libvirt's test driver inside this app: it has no interfaces of its own.
  const demo = host.kind === 'demo';
  useEffect(() => {
    if (connected && !demo) void load();
  }, [connected, demo, load]);

  if (demo) return <p className="muted">{t('hostnet.demo')}</p>;
  // While the host is away (a bridge change drops the connection and the app reconnects by itself),
  // keep the last reading and the open dialogs on screen: unmounting them lost the change's outcome.
  if (!connected && !info) return <p className="muted">{t('hostnet.notConnected')}</p>;
  if (error) return <ErrorNotice title={t('hostnet.readFailed')} error={error} />;
  if (!info) return <Spinner label={t('hostnet.loading')} />;

  const last = info.lastChange;
  const removable = (i: HostInterface) => i.kind === 'bridge' && last?.bridge === i.name && last.action === 'create' && last.state === 'committed';
  return (
    <section className="page-section hostnet" data-testid="host-interfaces">
      <div className="hostnet-toolbar">
        <h2 className="section-title">{t('hostnet.title')}</h2>
        <button type="button" className="button" onClick={() => void load()} disabled={loading} data-testid="hostnet-refresh">
          <Icon name="refresh" size={14} />
          {t('hostnet.refresh')}
        </button>
      </div>
      {last?.state === 'rolled-back' && (
        <div className="callout callout-warn" role="status" data-testid="hostnet-rolled-back">
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t('hostnet.rolledBackTitle')}</p>
            <p>{t(last.action === 'create' ? 'hostnet.rolledBackCreate' : 'hostnet.rolledBackRemove', { bridge: last.bridge, iface: last.iface, at: formatDateTime(last.at * 1000, t.language) })}</p>
            <p className="mono">{last.backupDir}</p>
          </div>
        </div>
      )}
      {info.brNetfilter && (
        <div className="callout callout-warn" role="status" data-testid="hostnet-br-netfilter">
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p>{t('hostnet.brNetfilter')}</p>
          </div>
        </div>
      )}
      {info.privilegeProblem && (
        <div className="callout callout-info" role="status" data-testid="hostnet-privilege">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p>{t(info.privilegeProblem === 'sudo-refused' ? 'hostnet.privilege.sudoRefused' : 'hostnet.privilege.noSudo')}</p>
          </div>
        </div>
      )}
      <table className="data-table hostnet-table">
        <thead>
          <tr>
            <th>{t('hostnet.column.name')}</th>
            <th>{t('hostnet.column.kind')}</th>
            <th>{t('hostnet.column.state')}</th>
            <th>{t('hostnet.column.addresses')}</th>
            <th>{t('hostnet.column.mac')}</th>
            <th>{t('hostnet.column.speed')}</th>
            <th>{t('hostnet.column.ports')}</th>
            <th>{t('hostnet.column.guests')}</th>
            <th aria-label={t('hostnet.column.actions')} />
          </tr>
        </thead>
        <tbody>
          {info.interfaces
            .filter((i) => i.kind !== 'loopback')
            .map((i) => (
              <tr key={i.name} data-testid={`iface-${i.name}`}>
                <td className="mono">
                  {i.name}
                  {info.sessionInterface === i.name && <span className="hostnet-session" title={t('hostnet.sessionHint')}>{t('hostnet.session')}</span>}
                </td>
                <td>
                  {t(`hostnet.kind.${i.kind}`)}
                  {i.vlanId !== undefined && ` ${i.vlanId}`}
                  {info.stacks[i.name]?.stack && <div className="muted small">{t(`hostnet.stack.${info.stacks[i.name]!.stack!}`)}</div>}
                </td>
                <td>
                  <StateBadge tone={i.state === 'up' ? 'ok' : i.state === 'down' ? 'idle' : 'warn'} label={i.state} />
                </td>
                <td className="mono">
                  {i.addresses.filter((a) => a.scope !== 'link').map((a) => (
                    <div key={`${a.address}/${a.prefix}`}>
                      {a.address}/{a.prefix}
                      {a.dynamic && <span className="muted"> {t('hostnet.dynamic')}</span>}
                    </div>
                  ))}
                  {i.routes.filter((r) => r.destination === 'default').map((r) => (
                    <div key={`gw-${r.family}`} className="muted">
                      {t('hostnet.gateway', { gateway: r.gateway ?? '' })}
                    </div>
                  ))}
                </td>
                <td className="mono">{i.mac}</td>
                <td>{speedText(i.speedMbps)}</td>
                <td className="mono">{[...(i.master ? [t('hostnet.portOf', { master: i.master })] : []), ...i.ports].join(', ')}</td>
                <td>{i.guests.join(', ')}</td>
                <td className="hostnet-actions">
                  {BRIDGEABLE_KINDS.includes(i.kind) && !i.master && (
                    <button type="button" className="button" data-testid={`create-bridge-${i.name}`} onClick={() => setAssistantFor(i)}>
                      {t('hostnet.createBridge')}
                    </button>
                  )}
                  {i.kind === 'wifi' && <span className="muted small">{t('hostnet.wifiNoBridge')}</span>}
                  {removable(i) && (
                    <button type="button" className="button" data-testid={`remove-bridge-${i.name}`} onClick={() => setRemoving(i.name)}>
                      {t('hostnet.removeBridge')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {assistantFor && (
        <BridgeAssistantDialog
          hostId={host.id}
          info={info}
          uplink={assistantFor}
          onClose={() => {
            setAssistantFor(undefined);
            void load();
          }}
        />
      )}
      {removing && last && (
        <RemoveBridgeDialog
          hostId={host.id}
          bridge={removing}
          iface={last.iface}
          onClose={() => {
            setRemoving(undefined);
            void load();
          }}
        />
      )}
    </section>
  );
}

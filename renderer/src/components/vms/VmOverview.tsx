/**
 * A VM's overview: state, OS, uptime, vCPUs and memory, live charts (while it runs and this
 * section is on screen), disks, network interfaces, graphics and addresses by source.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AddressSource, VmAddresses, VmDetailsInfo, VmSummary } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatBytes, formatMemoryKiB } from '../../format/formatBytes.js';
import { formatDateTime } from '../../format/formatDateTime.js';
import { formatDuration } from '../../format/formatDuration.js';
import { useNow } from '../../hooks/useNow.js';
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { vmStateText } from '../../model/vmStateText.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { PropertyList } from '../common/PropertyList.js';
import { Spinner } from '../common/Spinner.js';
import { VmCharts } from './VmCharts.js';
import type { VmSectionProps } from './vmSections.js';
import './vmOverview.css';

/** Addresses change as a guest boots and renews its lease: read again this often while shown. */
const ADDRESS_REFRESH_MS = 15_000;

type Load<T> = { data?: T; error?: ErrorInfo; loading: boolean };

function isActive(vm: VmSummary): boolean {
  return vm.state === 'running' || vm.state === 'paused' || vm.state === 'blocked' || vm.state === 'shutting-down' || vm.state === 'pm-suspended';
}

function useVmDetails(hostId: string, name: string, key: string, enabled: boolean): Load<VmDetailsInfo> {
  const [state, setState] = useState<Load<VmDetailsInfo>>({ loading: true });
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    requireClient()
      .call('vm.details', { hostId, name })
      .then(
        (data) => live && setState({ data, loading: false }),
        (error: unknown) => live && setState((previous) => ({ ...previous, error: toErrorInfo(error), loading: false })),
      );
    return () => {
      live = false;
    };
  }, [hostId, name, key, enabled]);
  return state;
}

function useVmAddresses(hostId: string, name: string, key: string, enabled: boolean): Load<VmAddresses> & { reload(): void } {
  const [state, setState] = useState<Load<VmAddresses>>({ loading: true });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    requireClient()
      .call('vm.addresses', { hostId, name })
      .then(
        (data) => live && setState({ data, loading: false }),
        (error: unknown) => live && setState((previous) => ({ ...previous, error: toErrorInfo(error), loading: false })),
      );
    const timer = setTimeout(reload, ADDRESS_REFRESH_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [hostId, name, key, enabled, round, reload]);
  return { ...state, reload };
}

const DEVICE_KEYS: Record<string, MessageKey> = {
  disk: 'vmOverview.device.disk',
  cdrom: 'vmOverview.device.cdrom',
  floppy: 'vmOverview.device.floppy',
  lun: 'vmOverview.device.lun',
};

const SOURCE_KEYS: Record<AddressSource, MessageKey> = {
  lease: 'vmOverview.source.lease',
  agent: 'vmOverview.source.agent',
  arp: 'vmOverview.source.arp',
};

function UptimeValue({ details, vm }: { details: VmDetailsInfo | undefined; vm: VmSummary }) {
  const t = useT();
  const ticking = isActive(vm) && details?.uptime !== undefined;
  const now = useNow(1_000, ticking);
  if (!isActive(vm)) return <>{t('vmOverview.uptime.notRunning')}</>;
  if (!details) return <>{t('common.notAvailable')}</>;
  if (details.uptime) {
    const started = details.uptime.startedAt;
    return (
      <span data-testid="vm-uptime" title={t('vmOverview.uptime.since', { time: formatDateTime(started, t.language) })}>
        {formatDuration((now - started) / 1000, t.language)}
      </span>
    );
  }
  return <span className="muted">{t(details.uptimeUnavailable === 'no-process-driver' ? 'vmOverview.uptime.noProcessDriver' : 'vmOverview.uptime.processNotFound')}</span>;
}

export function VmOverview({ hostId, vm, hostConnected }: VmSectionProps) {
  const t = useT();
  const none = t('common.notAvailable');
  const active = isActive(vm);
  // Read again when the VM starts or stops (live XML, uptime, devices' host side change then)
  // or the inventory sees its definition change.
  const key = `${vm.uuid}:${active ? 'active' : 'inactive'}:${vm.vcpus}:${vm.memoryKiB}`;
  const details = useVmDetails(hostId, vm.name, key, hostConnected);
  const addresses = useVmAddresses(hostId, vm.name, key, hostConnected && active);
  const yesNo = (value: boolean): string => t(value ? 'common.yes' : 'common.no');
  const info = details.data?.name === vm.name ? details.data : undefined;

  return (
    <section className="page-section" data-testid="vm-overview">
      <div className="overview-block">
        <PropertyList
          items={[
            { label: t('vm.field.state'), value: vmStateText(vm, t) },
            {
              label: t('vmOverview.field.os'),
              value: info?.os ? (
                <span data-testid="vm-os">
                  {info.os.name}
                  <span className="overview-os-id selectable">{info.os.id}</span>
                </span>
              ) : (
                t('vmOverview.os.unknown')
              ),
            },
            { label: t('vmOverview.field.uptime'), value: <UptimeValue details={info} vm={vm} /> },
            {
              label: t('vm.field.vcpus'),
              value: info ? t('vmOverview.currentOfMax', { current: String(info.vcpus.current), max: String(info.vcpus.max) }) : String(vm.vcpus),
            },
            {
              label: t('vm.field.memory'),
              value: info
                ? t('vmOverview.currentOfMax', { current: formatMemoryKiB(info.memory.currentKiB, t.language), max: formatMemoryKiB(info.memory.maxKiB, t.language) })
                : formatMemoryKiB(vm.memoryKiB, t.language),
            },
            { label: t('vm.field.arch'), value: [info?.arch ?? vm.arch, info?.machine].filter(Boolean).join(' · ') || none },
            { label: t('vmOverview.field.hypervisor'), value: info?.domainType ?? none },
            { label: t('vm.field.autostart'), value: yesNo(vm.autostart) },
            { label: t('vm.field.persistent'), value: yesNo(vm.persistent) },
            { label: t('vm.field.uuid'), value: vm.uuid, mono: true },
          ]}
        />
      </div>

      {details.error && !info && (
        <div className="overview-block">
          <ErrorNotice title={t('vmOverview.error')} error={details.error} />
        </div>
      )}
      {hostConnected && details.loading && !info && !details.error && (
        <p className="loading-line">
          <Spinner size="small" /> {t('vmOverview.loading')}
        </p>
      )}

      <div className="overview-block">
        <h2 className="section-title">{t('vmOverview.performance')}</h2>
        {active && hostConnected ? (
          <VmCharts hostId={hostId} name={vm.name} memoryKiB={info?.memory.currentKiB ?? vm.memoryKiB} />
        ) : (
          <p className="muted">{t('vmOverview.chartsNotRunning')}</p>
        )}
      </div>

      {info && (
        <>
          <div className="overview-block">
            <h2 className="section-title">{t('vmOverview.disks')}</h2>
            {info.disks.length === 0 ? (
              <p className="muted">{t('vmOverview.noDisks')}</p>
            ) : (
              <table className="data-table" data-testid="vm-disks">
                <thead>
                  <tr>
                    <th>{t('vmOverview.column.target')}</th>
                    <th>{t('vmOverview.column.bus')}</th>
                    <th>{t('vmOverview.column.kind')}</th>
                    <th>{t('vmOverview.column.source')}</th>
                    <th>{t('vmOverview.column.format')}</th>
                    <th className="numeric">{t('vmOverview.column.capacity')}</th>
                    <th className="numeric">{t('vmOverview.column.allocation')}</th>
                  </tr>
                </thead>
                <tbody>
                  {info.disks.map((disk) => {
                    const flags = [disk.readonly ? t('vmOverview.disk.readonly') : '', disk.shareable ? t('vmOverview.disk.shareable') : ''].filter(Boolean);
                    const source =
                      disk.path ??
                      (disk.pool && disk.volume ? `${disk.pool}/${disk.volume}` : undefined) ??
                      (disk.networkName ? `${disk.networkProtocol ?? ''}:${disk.networkName}` : undefined);
                    return (
                      <tr key={disk.target} data-target={disk.target}>
                        <td className="mono">{disk.target}</td>
                        <td>{disk.bus ?? none}</td>
                        <td>
                          {DEVICE_KEYS[disk.device] ? t(DEVICE_KEYS[disk.device]!) : disk.device}
                          {flags.length > 0 && <span className="muted"> ({flags.join(', ')})</span>}
                        </td>
                        <td className="mono selectable">{source ?? <span className="muted">{t('vmOverview.disk.empty')}</span>}</td>
                        <td>{disk.format ?? none}</td>
                        <td className="numeric">{disk.capacityBytes === undefined ? none : formatBytes(disk.capacityBytes, t.language)}</td>
                        <td className="numeric">{disk.allocationBytes === undefined ? none : formatBytes(disk.allocationBytes, t.language)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </div>

          <div className="overview-block">
            <h2 className="section-title">{t('vmOverview.nics')}</h2>
            {info.nics.length === 0 ? (
              <p className="muted">{t('vmOverview.noNics')}</p>
            ) : (
              <table className="data-table" data-testid="vm-nics">
                <thead>
                  <tr>
                    <th>{t('vmOverview.column.mac')}</th>
                    <th>{t('vmOverview.column.model')}</th>
                    <th>{t('vmOverview.column.source')}</th>
                    <th>{t('vmOverview.column.link')}</th>
                    <th>{t('vmOverview.column.hostDevice')}</th>
                  </tr>
                </thead>
                <tbody>
                  {info.nics.map((nic, index) => (
                    <tr key={`${nic.mac}-${index}`} data-mac={nic.mac}>
                      <td className="mono selectable">{nic.mac}</td>
                      <td>{nic.model ?? none}</td>
                      <td>
                        {nic.source ?? none} <span className="muted">({nic.type})</span>
                      </td>
                      <td>{t(nic.linkState === 'up' ? 'vmOverview.link.up' : 'vmOverview.link.down')}</td>
                      <td className="mono">{nic.hostDevice ?? none}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>

          <div className="overview-block">
            <h2 className="section-title">{t('vmOverview.graphics')}</h2>
            {info.graphics.length === 0 ? (
              <p className="muted">{t('vmOverview.noGraphics')}</p>
            ) : (
              <table className="data-table" data-testid="vm-graphics">
                <thead>
                  <tr>
                    <th>{t('vmOverview.column.type')}</th>
                    <th>{t('vmOverview.column.listen')}</th>
                    <th>{t('vmOverview.column.port')}</th>
                  </tr>
                </thead>
                <tbody>
                  {info.graphics.map((graphics, index) => (
                    <tr key={`${graphics.type}-${index}`}>
                      <td>{graphics.type.toUpperCase()}</td>
                      <td className="mono">{graphics.listen ?? none}</td>
                      <td className="mono">{graphics.port ?? (graphics.autoport ? t('vmOverview.graphics.autoport') : none)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </>
      )}

      <div className="overview-block">
        <div className="toolbar">
          <h2 className="section-title">{t('vmOverview.addresses')}</h2>
          {active && hostConnected && (
            <button type="button" className="button button-icon-only" title={t('vmOverview.refreshAddresses')} aria-label={t('vmOverview.refreshAddresses')} onClick={addresses.reload} disabled={addresses.loading}>
              <Icon name="refresh" />
            </button>
          )}
        </div>
        {!active ? (
          <p className="muted">{t('vmOverview.addressesNotRunning')}</p>
        ) : addresses.error && !addresses.data ? (
          <ErrorNotice title={t('vmOverview.addressesError')} error={addresses.error} />
        ) : !addresses.data ? (
          <p className="loading-line">
            <Spinner size="small" /> {t('vmOverview.addressesLoading')}
          </p>
        ) : (
          <>
            {addresses.data.addresses.length === 0 ? (
              <p className="muted">{t('vmOverview.noAddresses')}</p>
            ) : (
              <table className="data-table" data-testid="vm-addresses">
                <thead>
                  <tr>
                    <th>{t('vmOverview.column.address')}</th>
                    <th>{t('vmOverview.column.interface')}</th>
                    <th>{t('vmOverview.column.mac')}</th>
                    <th>{t('vmOverview.column.addressSource')}</th>
                  </tr>
                </thead>
                <tbody>
                  {addresses.data.addresses.map((address, index) => (
                    <tr key={`${address.source}-${address.address}-${index}`} data-source={address.source}>
                      <td className="mono selectable">{address.prefix === undefined ? address.address : `${address.address}/${address.prefix}`}</td>
                      <td className="mono">{address.interfaceName ?? none}</td>
                      <td className="mono">{address.mac ?? none}</td>
                      <td>{t(SOURCE_KEYS[address.source])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <ul className="address-sources" data-testid="vm-address-sources">
              {addresses.data.sources.map((source) => (
                <li key={source.source} data-source={source.source} data-status={source.status} className={source.status === 'failed' ? 'address-source-failed' : undefined} title={source.message}>
                  {t(`vmOverview.sourceStatus.${source.status}`, {
                    source: t(SOURCE_KEYS[source.source]),
                    count: String(addresses.data!.addresses.filter((address) => address.source === source.source).length),
                    message: source.message?.split('\n').pop() ?? '',
                  })}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}

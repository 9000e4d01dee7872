/**
 * A host's hardware and software (hosts.details): CPU and topology, hardware virtualization,
 * whether KVM works, memory, hypervisor and versions, and what is missing to run guests.
 * Read when the tab opens and again whenever the host (re)connects.
 */
import { useEffect } from 'react';
import type { HostDetails } from '../../../../preload/contract.js';
import { formatMemoryKiB } from '../../format/formatBytes.js';
import type { Translator } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { fetchHostDetails } from '../../services/hostDetailsFetch.js';
import { useHostDetailsStore } from '../../store/hostDetailsStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { PropertyList, type Property } from '../common/PropertyList.js';
import { Spinner } from '../common/Spinner.js';

function topology(details: HostDetails, t: Translator): string | null {
  const { sockets, coresPerSocket, threadsPerCore, logicalCpus } = details;
  const parts = [sockets, coresPerSocket, threadsPerCore];
  const shape = parts.every((part) => part !== undefined) ? parts.join(' × ') : null;
  const logical = logicalCpus === undefined ? null : t.count('hostDetails.logicalCpus', logicalCpus);
  if (shape && logical) return `${shape} (${logical})`;
  return shape ?? logical;
}

function hypervisor(details: HostDetails): string | null {
  const text = [details.hypervisorType, details.hypervisorVersion].filter(Boolean).join(' ');
  return text === '' ? null : text;
}

export function HostDetailsSection({ hostId, connected }: { hostId: string; connected: boolean }) {
  const t = useT();
  const details = useHostDetailsStore((state) => state.byHost[hostId]);
  const loading = useHostDetailsStore((state) => state.loading[hostId] ?? false);
  const error = useHostDetailsStore((state) => state.errors[hostId]);

  useEffect(() => {
    if (connected) void fetchHostDetails(hostId);
  }, [hostId, connected]);

  if (!details) {
    if (error && connected) return <ErrorNotice title={t('hostDetails.failed')} error={error} />;
    if (loading)
      return (
        <p className="muted loading-line">
          <Spinner size="small" />
          {t('hostDetails.loading')}
        </p>
      );
    return null;
  }

  const none = t('common.notAvailable');
  const items: Property[] = [
    { label: t('hostDetails.cpuModel'), value: [details.cpuModel, details.cpuVendor && !details.cpuModel?.includes(details.cpuVendor) ? `(${details.cpuVendor})` : ''].filter(Boolean).join(' ') || none },
    { label: t('hostDetails.topology'), value: topology(details, t) ?? none },
    { label: t('hostDetails.virtualization'), value: t(`hostDetails.hwvirt.${details.hardwareVirtualization}`) },
    {
      label: t('hostDetails.kvm'),
      value: (
        <span className={details.kvmUsable ? 'fact-ok' : 'fact-bad'} data-testid="host-kvm" data-usable={details.kvmUsable ? 'true' : 'false'}>
          {t(details.kvmUsable ? 'hostDetails.kvmYes' : 'hostDetails.kvmNo')}
        </span>
      ),
    },
    { label: t('hostDetails.memory'), value: details.memoryKiB === undefined ? none : formatMemoryKiB(details.memoryKiB, t.language) },
    { label: t('hostDetails.hypervisor'), value: hypervisor(details) ?? none },
    { label: t('host.field.libvirtVersion'), value: details.libvirtVersion ?? none },
  ];

  return (
    <section className="page-section" data-testid="host-details" aria-labelledby={`host-details-${hostId}`}>
      <h2 className="section-title" id={`host-details-${hostId}`}>
        {t('hostDetails.title')}
        {loading && <Spinner size="small" />}
      </h2>
      {details.missing.length > 0 && (
        <div className="callout callout-warn" data-testid="host-missing" role="status">
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t('hostDetails.missingTitle')}</p>
            <ul className="missing-list">
              {details.missing.map((key) => (
                <li key={key} data-testid="host-missing-item" data-key={key}>
                  {t.dynamic(key)}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <div className={details.missing.length > 0 ? 'details-after-callout' : undefined}>
        <PropertyList items={items} />
      </div>
    </section>
  );
}

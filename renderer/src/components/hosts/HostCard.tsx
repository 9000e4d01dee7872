import { memo } from 'react';
/** A host on the welcome overview: status and VM state counts; opens the host's tab. */
import type { HostInventory, HostSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { countVmStates } from '../../model/vmStateCounts.js';
import { useUiStore } from '../../store/uiStore.js';
import { StateBadge } from '../common/StateBadge.js';
import { TagChips } from '../common/TagChips.js';
import { hostStatusTone } from '../common/toneOf.js';
import { HostKindIcon } from './HostKindIcon.js';
import { VmCountsLine } from './VmCountsLine.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import './hosts.css';

/** Memoised: fifty cards, and a new inventory re-renders only its own host's card. */
export const HostCard = memo(function HostCard({ host, inventory }: { host: HostSummary; inventory: HostInventory | undefined }) {
  const t = useT();
  const openTab = useUiStore((state) => state.openTab);
  const counts = inventory ? countVmStates(inventory.vms) : null;
  return (
    <button
      type="button"
      className="host-card"
      data-testid="host-card"
      data-host-id={host.id}
      onClick={() => openTab({ kind: 'host', hostId: host.id })}
    >
      <span className="host-card-head">
        <HostKindIcon kind={host.kind} size={18} />
        <span className="host-card-title">{hostDisplayName(host, t)}</span>
      </span>
      <span className="host-card-status">
        <StateBadge tone={hostStatusTone(host.status)} label={t(`hostStatus.${host.status}`)} />
        {host.kind === 'ssh' && <span className="muted">· {t('hostKind.ssh')}</span>}
      </span>
      <span className="host-card-meta mono" title={host.uri}>
        {host.kind === 'ssh' && host.address ? `${host.user ? `${host.user}@` : ''}${host.address} · ${host.uri}` : host.uri}
      </span>
      {host.tags && host.tags.length > 0 && <TagChips tags={host.tags} max={4} className="host-card-tags" />}
      <span className="host-card-counts">
        {counts ? (
          <>
            <strong>{t.count('welcome.vmTotal', inventory?.vms.length ?? 0)}</strong>
            <VmCountsLine counts={counts} />
          </>
        ) : (
          <span className="muted host-card-remedy">
            {host.status === 'connected' ? t('welcome.noInventory') : t(`hostRemedy.${host.status}`, { host: hostDisplayName(host, t) })}
          </span>
        )}
      </span>
    </button>
  );
});

/** A host's Storage section: its pools with their usage, New pool, and the default pool when it has none. */
import { useState } from 'react';
import type { HostSectionProps } from '../hosts/hostSections.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { Icon } from '../common/Icon.js';
import { HostPoolTable } from '../hosts/HostPoolTable.js';
import { PoolCreateDialog } from './PoolCreateDialog.js';
import { runStorageCall } from './storageCall.js';
import './storage.css';

export function HostStorageSection({ host, connected }: HostSectionProps) {
  const t = useT();
  const pools = useInventoryStore((state) => state.byHost[host.id]?.pools);
  const [creating, setCreating] = useState(false);
  const [makingDefault, setMakingDefault] = useState(false);
  if (!pools) return <p className="muted">{t('host.notReadYet')}</p>;
  const hasDefault = pools.some((pool) => pool.name === 'default');
  return (
    <section className="page-section" data-testid="host-storage">
      <div className="toolbar">
        <button type="button" className="button" data-testid="pool-new" disabled={!connected} onClick={() => setCreating(true)}>
          <Icon name="plus" size={14} />
          {t('storage.pool.new')}
        </button>
      </div>
      {pools.length === 0 && !hasDefault && (
        <div className="callout callout-info" data-testid="default-pool-offer">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p>{t('storage.defaultPool.body')}</p>
            <div className="callout-actions">
              <button
                type="button"
                className="button button-primary"
                data-testid="default-pool-create"
                disabled={!connected || makingDefault}
                onClick={() => {
                  setMakingDefault(true);
                  void runStorageCall(host.id, requireClient().call('storage.createDefaultPool', { hostId: host.id }), 'storage.pool.createFailed', { name: 'default' }, () => setMakingDefault(false));
                }}
              >
                {t('storage.defaultPool.create')}
              </button>
            </div>
          </div>
        </div>
      )}
      <HostPoolTable hostId={host.id} pools={pools} />
      {creating && <PoolCreateDialog hostId={host.id} onClose={() => setCreating(false)} />}
    </section>
  );
}

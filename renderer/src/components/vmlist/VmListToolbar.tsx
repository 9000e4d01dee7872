/**
 * Above the VM list: full-text search, filters by state and host, "N of M", and the bulk
 * actions for the selected machines (Force off asks first); "⋯" offers the rest (autostart,
 * discarding saved state). Each bulk action runs as one task with a log line per VM.
 */
import { useMemo, useState } from 'react';
import { VmState, type VmAction } from '../../../../preload/contract.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import { useT } from '../../i18n/useT.js';
import { isVmActionAvailable } from '../../model/vmActionAvailability.js';
import type { VmRow } from '../../model/vmRows.js';
import type { VmTarget } from '../../services/bulkVmActions.js';
import { requestVmAction } from '../../services/vmActions.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useVmListStore } from '../../store/vmListStore.js';
import { Icon } from '../common/Icon.js';
import { belowElement, type MenuPosition } from '../common/Menu.js';
import { vmActionIcon } from '../vms/VmActionBar.js';
import { VmMenu } from '../vms/VmMenu.js';

const bulkActions: readonly VmAction[] = ['start', 'shutdown', 'reboot', 'suspend', 'resume', 'save', 'destroy'];

interface VmListToolbarProps {
  rows: readonly VmRow[];
  total: number;
  selected: ReadonlySet<string>;
  selectedCount: number;
}

export function VmListToolbar({ rows, total, selected, selectedCount }: VmListToolbarProps) {
  const t = useT();
  const filter = useVmListStore((state) => state.filter);
  const setFilter = useVmListStore((state) => state.setFilter);
  const hosts = useHostsStore((state) => state.hosts);
  const byHost = useInventoryStore((state) => state.byHost);
  const [menu, setMenu] = useState<MenuPosition | null>(null);

  const hostOptions = useMemo(() => hosts.filter((host) => byHost[host.id] !== undefined), [hosts, byHost]);
  const connected = useMemo(() => new Set(hosts.filter((host) => host.status === 'connected').map((host) => host.id)), [hosts]);

  const targets = useMemo(() => {
    const byAction: Partial<Record<VmAction, VmTarget[]>> = {};
    if (selectedCount === 0) return byAction;
    for (const row of rows) {
      if (!selected.has(row.key) || !connected.has(row.hostId)) continue;
      for (const action of bulkActions) {
        if (isVmActionAvailable(action, row.vm)) (byAction[action] ??= []).push({ hostId: row.hostId, name: row.vm.name });
      }
    }
    return byAction;
  }, [rows, selected, selectedCount, connected]);
  const selectedRows = useMemo(() => (menu ? rows.filter((row) => selected.has(row.key)).map((row) => ({ hostId: row.hostId, vm: row.vm })) : []), [menu, rows, selected]);

  const run = (action: VmAction): void => requestVmAction(targets[action] ?? [], action);

  return (
    <div className="vm-list-toolbar">
      <div className="vm-list-filters">
        <div className="vm-search">
          <Icon name="search" size={14} className="vm-search-icon" />
          <input
            type="search"
            className="input vm-search-input"
            data-testid="vm-list-search"
            placeholder={t('vmList.searchPlaceholder')}
            aria-label={t('vmList.searchLabel')}
            value={filter.query}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) => setFilter({ query: event.target.value })}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && filter.query !== '') {
                event.preventDefault();
                setFilter({ query: '' });
              } else if (event.key === 'ArrowDown') {
                event.preventDefault();
                document.querySelector<HTMLElement>('[data-testid="vm-list"]')?.focus();
              }
            }}
          />
        </div>
        <select
          className="select-input vm-filter-select"
          data-testid="vm-list-state-filter"
          aria-label={t('vmList.stateFilter')}
          value={filter.state}
          onChange={(event) => setFilter({ state: event.target.value as VmState | 'all' })}
        >
          <option value="all">{t('vmList.allStates')}</option>
          {VmState.options.map((state) => (
            <option key={state} value={state}>
              {t(`vmState.${state}`)}
            </option>
          ))}
        </select>
        <select
          className="select-input vm-filter-select"
          data-testid="vm-list-host-filter"
          aria-label={t('vmList.hostFilter')}
          value={filter.hostId}
          onChange={(event) => setFilter({ hostId: event.target.value })}
        >
          <option value="all">{t('vmList.allHosts')}</option>
          {hostOptions.map((host) => (
            <option key={host.id} value={host.id}>
              {hostDisplayName(host, t)}
            </option>
          ))}
        </select>
        <span className="vm-list-count" data-testid="vm-list-count" data-shown={rows.length} data-total={total} aria-live="polite">
          {t('vmList.count', { shown: rows.length, total })}
        </span>
      </div>
      <div className="vm-list-bulk" role="toolbar" aria-label={t('vmList.bulkLabel')}>
        <span className="vm-list-selected" data-testid="vm-list-selected" data-count={selectedCount}>
          {selectedCount > 0 ? t.count('vmList.selected', selectedCount) : t('vmList.noneSelected')}
        </span>
        {bulkActions.map((action) => {
          const count = targets[action]?.length ?? 0;
          return (
            <button
              key={action}
              type="button"
              className={`button button-small${action === 'destroy' ? ' button-danger-quiet' : ''}`}
              data-testid={`vm-bulk-${action}`}
              data-count={count}
              disabled={count === 0}
              title={count > 0 ? t.count('vmList.bulkTitle', count, { action: t(`vmAction.${action}`) }) : undefined}
              onClick={() => run(action)}
            >
              <Icon name={vmActionIcon[action]} size={13} />
              {t(`vmAction.${action}`)}
              {count > 0 && <span className="vm-bulk-count">{count}</span>}
            </button>
          );
        })}
        <button
          type="button"
          className="button button-small"
          data-testid="vm-bulk-more"
          disabled={selectedCount === 0}
          aria-haspopup="menu"
          aria-label={t('vmList.bulkMore')}
          title={t('vmList.bulkMore')}
          onClick={(event) => setMenu(belowElement(event.currentTarget))}
        >
          <Icon name="more" size={13} />
        </button>
      </div>
      {menu && selectedRows.length > 0 && <VmMenu subjects={selectedRows} position={menu} withOpen={selectedRows.length === 1} onClose={() => setMenu(null)} />}
    </div>
  );
}

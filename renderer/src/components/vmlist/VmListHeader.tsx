/** Column headers: click (or Enter/Space) sorts; aria-sort says how. */
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { nextSort, vmListColumns, type VmListColumn, type VmSort } from '../../model/vmRowSort.js';
import { Icon } from '../common/Icon.js';

const columnLabel: Record<VmListColumn, MessageKey> = {
  name: 'vmList.column.name',
  host: 'vmList.column.host',
  state: 'vmList.column.state',
  vcpus: 'vmList.column.vcpus',
  memory: 'vmList.column.memory',
  cpu: 'vmList.column.cpu',
  ip: 'vmList.column.ip',
};

const numeric = new Set<VmListColumn>(['vcpus', 'memory', 'cpu']);

interface VmListHeaderProps {
  sort: VmSort;
  onSort(sort: VmSort): void;
  allSelected: boolean;
  someSelected: boolean;
  onSelectAll(select: boolean): void;
}

export function VmListHeader({ sort, onSort, allSelected, someSelected, onSelectAll }: VmListHeaderProps) {
  const t = useT();
  return (
    <div role="rowgroup" className="vm-list-head">
      <div role="row" className="vm-list-row vm-list-header-row" aria-rowindex={1}>
        <div role="columnheader" className="vm-cell vm-cell-check">
          <input
            type="checkbox"
            className="checkbox"
            data-testid="vm-list-select-all"
            aria-label={t('vmList.selectAll')}
            title={t('vmList.selectAll')}
            checked={allSelected}
            ref={(element) => {
              if (element) element.indeterminate = someSelected && !allSelected;
            }}
            onChange={() => onSelectAll(!allSelected)}
          />
        </div>
        {vmListColumns.map((column) => {
          const active = sort.column === column;
          const direction = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
          return (
            <div
              key={column}
              role="columnheader"
              className={`vm-cell vm-head-cell${numeric.has(column) ? ' vm-cell-number' : ''}`}
              aria-sort={direction}
              data-testid={`vm-list-header-${column}`}
            >
              <button type="button" className={`vm-sort-button${active ? ' active' : ''}`} onClick={() => onSort(nextSort(sort, column))}>
                <span className="vm-sort-label">{t(columnLabel[column])}</span>
                <span className="vm-sort-icon" aria-hidden="true">
                  {active && <Icon name={sort.direction === 'asc' ? 'arrowUp' : 'arrowDown'} size={12} />}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** One row of the VM list: positioned by the virtualizer, memoized so scrolling re-renders little. */
import { memo, type MouseEvent } from 'react';
import { formatMemoryKiB } from '../../format/formatBytes.js';
import type { Translator } from '../../i18n/translate.js';
import type { VmRow } from '../../model/vmRows.js';
import { StateBadge } from '../common/StateBadge.js';
import { vmTone } from '../common/toneOf.js';
import { isVmSaved } from '../../model/vmActionAvailability.js';
import { vmStateLabel } from '../../model/vmStateText.js';

export const VM_ROW_HEIGHT = 30;

interface VmListRowProps {
  row: VmRow;
  index: number;
  top: number;
  selected: boolean;
  focused: boolean;
  cpu: number | null;
  t: Translator;
  onRowClick(index: number, event: MouseEvent): void;
  onRowOpen(index: number): void;
  onCheck(index: number): void;
  onRowMenu(index: number, event: MouseEvent): void;
}

export function vmRowDomId(index: number): string {
  return `vm-list-row-${index}`;
}

export function formatCpu(cpu: number | null, language: string): string {
  if (cpu === null) return '';
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: cpu < 10 ? 1 : 0 }).format(cpu)} %`;
}

export const VmListRow = memo(function VmListRow({ row, index, top, selected, focused, cpu, t, onRowClick, onRowOpen, onCheck, onRowMenu }: VmListRowProps) {
  const { vm } = row;
  const addresses = vm.addresses ?? [];
  return (
    <div
      role="row"
      id={vmRowDomId(index)}
      className={`vm-list-row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${index % 2 === 1 ? ' odd' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-testid="vm-list-row"
      data-vm-name={vm.name}
      data-host-id={row.hostId}
      data-state={vm.state}
      data-saved={String(isVmSaved(vm))}
      data-index={index}
      onClick={(event) => onRowClick(index, event)}
      onDoubleClick={() => onRowOpen(index)}
      onContextMenu={(event) => onRowMenu(index, event)}
    >
      <div role="gridcell" className="vm-cell vm-cell-check">
        <input
          type="checkbox"
          className="checkbox"
          tabIndex={-1}
          checked={selected}
          aria-label={t('vmList.selectRow', { name: vm.name })}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onCheck(index)}
        />
      </div>
      <div role="gridcell" className="vm-cell vm-cell-name" title={vm.name}>
        {vm.name}
      </div>
      <div role="gridcell" className="vm-cell vm-cell-host" title={row.hostLabel}>
        {row.hostLabel}
      </div>
      <div role="gridcell" className="vm-cell">
        <StateBadge tone={vmTone(vm)} label={vmStateLabel(vm, t)} />
      </div>
      <div role="gridcell" className="vm-cell vm-cell-number">
        {vm.vcpus}
      </div>
      <div role="gridcell" className="vm-cell vm-cell-number">
        {formatMemoryKiB(vm.memoryKiB, t.language)}
      </div>
      <div role="gridcell" className="vm-cell vm-cell-number vm-cell-cpu">
        {cpu !== null && (
          <>
            <span className="cpu-bar" aria-hidden="true">
              <span className="cpu-bar-fill" style={{ width: `${Math.min(100, cpu / Math.max(1, vm.vcpus))}%` }} />
            </span>
            {formatCpu(cpu, t.language)}
          </>
        )}
      </div>
      <div role="gridcell" className="vm-cell vm-cell-ip mono" title={addresses.join('\n')}>
        {addresses[0] ?? ''}
        {addresses.length > 1 && <span className="vm-ip-more">+{addresses.length - 1}</span>}
      </div>
    </div>
  );
});

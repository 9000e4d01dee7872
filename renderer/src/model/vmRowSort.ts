/** Sorting the VM list by any column; rows with no value (no IP, no CPU sample) go last. */
import type { VmState } from '../../../preload/contract.js';
import { compareNames } from './compareNames.js';
import type { VmRow } from './vmRows.js';

export const vmListColumns = ['name', 'host', 'state', 'vcpus', 'memory', 'cpu', 'ip'] as const;
export type VmListColumn = (typeof vmListColumns)[number];
export type SortDirection = 'asc' | 'desc';

export interface VmSort {
  column: VmListColumn;
  direction: SortDirection;
}

export const defaultVmSort: VmSort = { column: 'name', direction: 'asc' };

/** Running machines first: what people look for most. */
const stateRank: Record<VmState, number> = {
  running: 0,
  blocked: 1,
  paused: 2,
  'shutting-down': 3,
  'pm-suspended': 4,
  crashed: 5,
  'no-state': 6,
  shutoff: 7,
};

/** A click on a header: the same column flips direction, another one starts ascending (numbers descending). */
export function nextSort(current: VmSort, column: VmListColumn): VmSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  const numeric = column === 'vcpus' || column === 'memory' || column === 'cpu';
  return { column, direction: numeric ? 'desc' : 'asc' };
}

type Value = number | string | null;

function valueOf(row: VmRow, column: VmListColumn, cpuOf: (row: VmRow) => number | null): Value {
  switch (column) {
    case 'name':
      return row.order;
    case 'host':
      return row.hostLabel;
    case 'state':
      return stateRank[row.vm.state];
    case 'vcpus':
      return row.vm.vcpus;
    case 'memory':
      return row.vm.memoryKiB;
    case 'cpu':
      return cpuOf(row);
    case 'ip':
      return row.ipKey === '' ? null : row.ipKey;
  }
}

/**
 * Sorts a copy. Each row's value is read once (a decorate-sort), ties keep name order, and
 * empty values stay at the end whichever the direction.
 */
export function sortVmRows(rows: readonly VmRow[], sort: VmSort, cpuOf: (row: VmRow) => number | null = () => null): VmRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const decorated = rows.map((row) => ({ row, value: valueOf(row, sort.column, cpuOf) }));
  const textual = sort.column === 'host';
  decorated.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value === b.value) return a.row.order - b.row.order;
      return a.value === null ? 1 : -1;
    }
    let primary: number;
    if (textual) primary = compareNames(String(a.value), String(b.value));
    else if (typeof a.value === 'number' && typeof b.value === 'number') primary = a.value - b.value;
    else primary = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
    return primary !== 0 ? sign * primary : a.row.order - b.row.order;
  });
  return decorated.map((entry) => entry.row);
}

import { describe, expect, it } from 'vitest';
import type { HostInventory, HostSummary, VmSummary } from '../../preload/contract.js';
import {
  clickSelection,
  emptySelection,
  movedIndex,
  moveFocus,
  retainSelection,
  selectAll,
  toggleFocused,
  type ListSelection,
} from '../../renderer/src/model/listSelection.js';
import { nextSort, sortVmRows, type VmSort } from '../../renderer/src/model/vmRowSort.js';
import { buildVmRows, filterVmRows, ipSortKey, noVmRowFilter, vmRowKey } from '../../renderer/src/model/vmRows.js';

const host = (id: string, label = id): HostSummary => ({ id, label, kind: 'ssh', uri: 'qemu:///system', status: 'connected' });
const vm = (hostId: string, name: string, extra: Partial<VmSummary> = {}): VmSummary => ({
  hostId,
  name,
  uuid: `uuid-${hostId}-${name}`,
  state: 'running',
  vcpus: 1,
  memoryKiB: 1024,
  persistent: true,
  autostart: false,
  ...extra,
});
const inventory = (hostId: string, vms: VmSummary[]): HostInventory => ({ hostId, vms, networks: [], pools: [], fetchedAt: 1 });

const hosts = [host('a', 'alpha'), host('b', 'bravo'), host('c', 'charlie')];
const inventories = {
  a: inventory('a', [
    vm('a', 'web10', { vcpus: 4, addresses: ['10.0.0.10'] }),
    vm('a', 'web2', { state: 'shutoff', vcpus: 2, addresses: ['10.0.0.9', 'fe80::1'] }),
    vm('a', 'db', { state: 'paused', memoryKiB: 8192 }),
  ]),
  b: inventory('b', [vm('b', 'web1', { uuid: 'deadbeef-0000', addresses: ['192.0.2.7'] }), vm('b', 'cache', { state: 'crashed' })]),
};
const rows = buildVmRows(hosts, inventories, (item) => item.label);
const names = (list: readonly { vm: VmSummary; hostId: string }[]): string[] => list.map((row) => `${row.hostId}:${row.vm.name}`);

describe('VM list rows', () => {
  it('flattens every host’s VMs in natural name order, skipping hosts without inventory', () => {
    expect(names(rows)).toEqual(['b:cache', 'a:db', 'b:web1', 'a:web2', 'a:web10']);
    expect(rows.map((row) => row.order)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[2]?.key).toBe(vmRowKey('b', 'web1'));
    expect(rows[3]?.ip).toBe('10.0.0.9, fe80::1');
  });

  it('sorts IPv4 numerically and before IPv6', () => {
    expect(ipSortKey('10.0.0.9') < ipSortKey('10.0.0.10')).toBe(true);
    expect(ipSortKey('10.0.0.10') < ipSortKey('fe80::1')).toBe(true);
    expect(ipSortKey(undefined)).toBe('');
  });
});

describe('VM list search and filters', () => {
  it('finds words in name, host, IP and UUID, all words required', () => {
    expect(names(filterVmRows(rows, { ...noVmRowFilter, query: 'WEB' }))).toEqual(['b:web1', 'a:web2', 'a:web10']);
    expect(names(filterVmRows(rows, { ...noVmRowFilter, query: 'bravo' }))).toEqual(['b:cache', 'b:web1']);
    expect(names(filterVmRows(rows, { ...noVmRowFilter, query: '10.0.0.1' }))).toEqual(['a:web10']);
    expect(names(filterVmRows(rows, { ...noVmRowFilter, query: 'deadbeef' }))).toEqual(['b:web1']);
    expect(names(filterVmRows(rows, { ...noVmRowFilter, query: 'web alpha' }))).toEqual(['a:web2', 'a:web10']);
  });

  it('filters by state and by host, and returns the same list when nothing filters', () => {
    expect(names(filterVmRows(rows, { ...noVmRowFilter, state: 'running' }))).toEqual(['b:web1', 'a:web10']);
    expect(names(filterVmRows(rows, { ...noVmRowFilter, hostId: 'a', state: 'paused' }))).toEqual(['a:db']);
    expect(filterVmRows(rows, noVmRowFilter)).toBe(rows);
  });
});

describe('VM list sorting', () => {
  const sorted = (sort: VmSort, cpu: Record<string, number | null> = {}) => names(sortVmRows(rows, sort, (row) => cpu[row.key] ?? null));

  it('sorts by each column, ties in name order', () => {
    expect(sorted({ column: 'name', direction: 'desc' })).toEqual(['a:web10', 'a:web2', 'b:web1', 'a:db', 'b:cache']);
    expect(sorted({ column: 'host', direction: 'asc' })).toEqual(['a:db', 'a:web2', 'a:web10', 'b:cache', 'b:web1']);
    expect(sorted({ column: 'state', direction: 'asc' })).toEqual(['b:web1', 'a:web10', 'a:db', 'b:cache', 'a:web2']);
    expect(sorted({ column: 'vcpus', direction: 'desc' })).toEqual(['a:web10', 'a:web2', 'b:cache', 'a:db', 'b:web1']);
    expect(sorted({ column: 'memory', direction: 'desc' })[0]).toBe('a:db');
  });

  it('keeps rows without a value last in both directions', () => {
    expect(sorted({ column: 'ip', direction: 'asc' })).toEqual(['a:web2', 'a:web10', 'b:web1', 'b:cache', 'a:db']);
    expect(sorted({ column: 'ip', direction: 'desc' })).toEqual(['b:web1', 'a:web10', 'a:web2', 'b:cache', 'a:db']);
    const cpu = { [vmRowKey('a', 'web10')]: 150, [vmRowKey('b', 'web1')]: 3.5 };
    expect(sorted({ column: 'cpu', direction: 'desc' }, cpu)).toEqual(['a:web10', 'b:web1', 'b:cache', 'a:db', 'a:web2']);
    expect(sorted({ column: 'cpu', direction: 'asc' }, cpu)).toEqual(['b:web1', 'a:web10', 'b:cache', 'a:db', 'a:web2']);
  });

  it('flips the direction on the same header; numbers start high, text starts low', () => {
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'asc' }, 'cpu')).toEqual({ column: 'cpu', direction: 'desc' });
    expect(nextSort({ column: 'cpu', direction: 'desc' }, 'host')).toEqual({ column: 'host', direction: 'asc' });
  });

  it('sorts 15,000 rows quickly enough for a click', () => {
    const many = Array.from({ length: 50 }, (_, h) => host(`h${h}`));
    const invs = Object.fromEntries(
      many.map((item) => [item.id, inventory(item.id, Array.from({ length: 300 }, (_, i) => vm(item.id, `vm-${i}`, { vcpus: i % 8, addresses: [`10.${i % 250}.0.${i % 200}`] })))]),
    );
    const big = buildVmRows(many, invs, (item) => item.label);
    expect(big).toHaveLength(15_000);
    const started = performance.now();
    sortVmRows(big, { column: 'ip', direction: 'asc' });
    sortVmRows(big, { column: 'vcpus', direction: 'desc' });
    filterVmRows(big, { ...noVmRowFilter, query: 'vm-29 h4' });
    // Generous: this guards against accidental O(n²), not a benchmark.
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('list selection', () => {
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const selected = (selection: ListSelection): string[] => [...selection.selected].sort();

  it('selects one on click, toggles with Ctrl/Cmd, ranges with Shift from the anchor', () => {
    let selection = clickSelection(emptySelection, keys, 'b');
    expect(selected(selection)).toEqual(['b']);
    selection = clickSelection(selection, keys, 'd', { range: true });
    expect(selected(selection)).toEqual(['b', 'c', 'd']);
    expect(selection.anchor).toBe('b');
    // Shift again re-anchors nothing: the range is from the same anchor, upwards too.
    selection = clickSelection(selection, keys, 'a', { range: true });
    expect(selected(selection)).toEqual(['a', 'b']);
    selection = clickSelection(selection, keys, 'e', { toggle: true });
    expect(selected(selection)).toEqual(['a', 'b', 'e']);
    expect(selection.anchor).toBe('e');
    selection = clickSelection(selection, keys, 'c', { range: true, toggle: true });
    expect(selected(selection)).toEqual(['a', 'b', 'c', 'd', 'e']);
    selection = clickSelection(selection, keys, 'e', { toggle: true });
    expect(selected(selection)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('selects all with Ctrl/Cmd+A and toggles the focused row with Space', () => {
    const all = selectAll(emptySelection, keys);
    expect(selected(all)).toEqual(keys);
    const toggled = toggleFocused({ ...all, focus: 'c' });
    expect(selected(toggled)).toEqual(['a', 'b', 'd', 'e']);
    expect(toggleFocused(emptySelection)).toBe(emptySelection);
  });

  it('moves the focus with the keys, clamped to the list', () => {
    expect(movedIndex(-1, 5, 'down', 3)).toBe(0);
    expect(movedIndex(-1, 5, 'up', 3)).toBe(4);
    expect(movedIndex(2, 5, 'down', 3)).toBe(3);
    expect(movedIndex(4, 5, 'down', 3)).toBe(4);
    expect(movedIndex(1, 5, 'pageDown', 3)).toBe(4);
    expect(movedIndex(3, 5, 'pageUp', 10)).toBe(0);
    expect(movedIndex(3, 5, 'home', 3)).toBe(0);
    expect(movedIndex(0, 5, 'end', 3)).toBe(4);
    expect(movedIndex(0, 0, 'down', 3)).toBe(-1);
  });

  it('leaves the selection alone on plain moves and extends it with Shift', () => {
    const index = (key: string): number => keys.indexOf(key);
    let selection = clickSelection(emptySelection, keys, 'b');
    selection = moveFocus(selection, keys, index, 'down', 2);
    expect(selection.focus).toBe('c');
    expect(selected(selection)).toEqual(['b']);
    selection = moveFocus(selection, keys, index, 'down', 2, true);
    expect(selection.focus).toBe('d');
    expect(selected(selection)).toEqual(['b', 'c', 'd']);
    selection = moveFocus(selection, keys, index, 'home', 2, true);
    expect(selected(selection)).toEqual(['a', 'b']);
  });

  it('forgets rows that left the list, and keeps the same object when nothing changed', () => {
    const selection = clickSelection(clickSelection(emptySelection, keys, 'b'), keys, 'd', { range: true });
    expect(retainSelection(selection, () => true)).toBe(selection);
    const kept = retainSelection(selection, (key) => key !== 'c' && key !== 'b');
    expect(selected(kept)).toEqual(['d']);
    expect(kept.anchor).toBeNull();
    expect(kept.focus).toBe('d');
  });
});

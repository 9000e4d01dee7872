/**
 * The rows of the "All virtual machines" list: every VM of every host, flattened once per
 * change of the inventories, with what search and sort need precomputed (lower-case search
 * text, an IP sort key), so typing in the search box or sorting is a single pass.
 */
import type { HostInventory, HostSummary, VmState, VmSummary } from '../../../preload/contract.js';
import { compareNames } from './compareNames.js';

export interface VmRow {
  /** hostId + NUL + name: unique, and the key of the row's selection and statistics. */
  key: string;
  hostId: string;
  hostLabel: string;
  vm: VmSummary;
  /** The addresses as shown ("192.0.2.10, fe80::1"), '' when unknown. */
  ip: string;
  /** Lower-case name, host, addresses and UUID, for full-text search. */
  haystack: string;
  /** Sortable form of the first address ('' when none). */
  ipKey: string;
  /** Position in name order; ties in other sorts fall back to it (no collator calls). */
  order: number;
}

export function vmRowKey(hostId: string, name: string): string {
  return `${hostId}\u0000${name}`;
}

/** IPv4 sorts numerically (10.0.0.9 before 10.0.0.10) and before IPv6; IPv6 as text. */
export function ipSortKey(address: string | undefined): string {
  if (!address) return '';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/\d+)?$/.exec(address);
  if (v4) return `4${v4.slice(1, 5).map((part) => part.padStart(3, '0')).join('.')}`;
  return `6${address.toLowerCase()}`;
}

export function buildVmRows(
  hosts: readonly HostSummary[],
  inventories: Readonly<Record<string, HostInventory | undefined>>,
  hostName: (host: HostSummary) => string,
): VmRow[] {
  const rows: VmRow[] = [];
  for (const host of hosts) {
    const inventory = inventories[host.id];
    if (!inventory) continue;
    const hostLabel = hostName(host);
    const hostText = hostLabel.toLowerCase();
    for (const vm of inventory.vms) {
      const addresses = vm.addresses ?? [];
      const ip = addresses.join(', ');
      rows.push({
        key: vmRowKey(host.id, vm.name),
        hostId: host.id,
        hostLabel,
        vm,
        ip,
        haystack: `${vm.name.toLowerCase()}\n${hostText}\n${ip.toLowerCase()}\n${vm.uuid.toLowerCase()}`,
        ipKey: ipSortKey(addresses[0]),
        order: 0,
      });
    }
  }
  rows.sort((a, b) => compareNames(a.vm.name, b.vm.name) || compareNames(a.hostLabel, b.hostLabel));
  rows.forEach((row, index) => {
    row.order = index;
  });
  return rows;
}

export interface VmRowFilter {
  /** Words that must all appear in the name, host, addresses or UUID. */
  query: string;
  state: VmState | 'all';
  hostId: string | 'all';
}

export const noVmRowFilter: VmRowFilter = { query: '', state: 'all', hostId: 'all' };

export function filterVmRows(rows: readonly VmRow[], filter: VmRowFilter): readonly VmRow[] {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0 && filter.state === 'all' && filter.hostId === 'all') return rows;
  return rows.filter(
    (row) =>
      (filter.state === 'all' || row.vm.state === filter.state) &&
      (filter.hostId === 'all' || row.hostId === filter.hostId) &&
      words.every((word) => row.haystack.includes(word)),
  );
}

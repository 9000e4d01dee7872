// Inventory announcements: whole at first, then only what changed (main), applied by the window
// (renderer) to the same result as the whole inventory.
import { describe, expect, it } from 'vitest';
import { InventoryPublisher } from '../../main/libvirt/inventoryDelta.js';
import type { HostInventory, VmSummary } from '../../preload/contract.js';
import { mergeInventoryChange } from '../../renderer/src/model/inventoryMerge.js';

const vm = (name: string, patch: Partial<VmSummary> = {}): VmSummary => ({
  hostId: 'h',
  name,
  uuid: `00000000-0000-4000-8000-${name.padStart(12, '0')}`,
  state: 'shutoff',
  vcpus: 1,
  memoryKiB: 65536,
  persistent: true,
  autostart: false,
  ...patch,
});
const read = (vms: VmSummary[], fetchedAt = 1): HostInventory => ({ hostId: 'h', vms, networks: [], pools: [], fetchedAt });

describe('InventoryPublisher', () => {
  it('announces the whole inventory first, then deltas by UUID, and nothing when nothing changed', () => {
    const publisher = new InventoryPublisher();
    const first = publisher.publish(read([vm('a'), vm('b'), vm('c')]));
    expect(first.change).toMatchObject({ kind: 'full', revision: 1 });
    expect(first.change?.vms).toHaveLength(3);

    const second = publisher.publish(read([vm('a', { state: 'running' }), vm('b'), vm('d')], 2));
    expect(second.change).toMatchObject({ kind: 'delta', revision: 2, removedVms: [vm('c').uuid] });
    expect(second.change?.vms.map((v) => v.name)).toEqual(['d']);
    expect(second.change?.patches).toEqual([{ uuid: vm('a').uuid, set: { state: 'running' } }]);
    expect(second.change?.networks).toBeUndefined();
    expect(second.inventory.revision).toBe(2);

    const third = publisher.publish(read([vm('a', { state: 'running' }), vm('b'), vm('d')], 3));
    expect(third.change).toBeUndefined();
    expect(third.inventory.revision).toBe(2);
  });

  it('sends the network list only when a network changed', () => {
    const publisher = new InventoryPublisher();
    publisher.publish(read([vm('a')]));
    const network = { hostId: 'h', name: 'default', uuid: 'n', active: true, autostart: true, persistent: true };
    const next = publisher.publish({ ...read([vm('a')]), networks: [network] });
    expect(next.change).toMatchObject({ kind: 'delta', vms: [], networks: [network] });
    expect(next.change?.pools).toBeUndefined();
  });
});

describe('mergeInventoryChange', () => {
  it('applies deltas to the same result as the whole inventory, keeping unchanged VM objects', () => {
    const publisher = new InventoryPublisher();
    const first = publisher.publish(read([vm('b'), vm('c')]));
    const held = mergeInventoryChange(undefined, first.change!);
    expect(held.kind).toBe('applied');
    const base = held.kind === 'applied' ? held.inventory : undefined;
    const next = publisher.publish(read([vm('a'), vm('b', { state: 'paused' })], 2));
    const merged = mergeInventoryChange(base, next.change!);
    expect(merged.kind).toBe('applied');
    if (merged.kind !== 'applied') return;
    expect(merged.inventory).toEqual(next.inventory);
    const untouched = publisher.publish(read([vm('a'), vm('b', { state: 'paused' }), vm('z')], 3));
    const again = mergeInventoryChange(merged.inventory, untouched.change!);
    expect(again.kind === 'applied' && again.inventory.vms[0]).toBe(merged.inventory.vms[0]);
  });

  it('says when a revision was missed, and ignores what it already has', () => {
    const publisher = new InventoryPublisher();
    const first = publisher.publish(read([vm('a')]));
    publisher.publish(read([vm('a', { state: 'running' })], 2));
    const third = publisher.publish(read([vm('a', { state: 'paused' })], 3));
    const held = mergeInventoryChange(undefined, first.change!);
    if (held.kind !== 'applied') throw new Error('first change not applied');
    expect(mergeInventoryChange(held.inventory, third.change!).kind).toBe('gap');
    expect(mergeInventoryChange(undefined, third.change!).kind).toBe('gap');
    expect(mergeInventoryChange(held.inventory, first.change!).kind).toBe('stale');
  });
});

describe('field patches', () => {
  it('sends only the changed fields of a known VM, and the optional fields that are gone', () => {
    const publisher = new InventoryPublisher();
    const first = publisher.publish(read([vm('a', { stateReason: 'booted', addresses: ['10.0.0.2'] }), vm('b')]));
    const next = publisher.publish(read([vm('a', { state: 'running', osType: 'hvm', addresses: ['10.0.0.2'] }), vm('b'), vm('c')], 2));
    expect(next.change?.vms.map((v) => v.name)).toEqual(['c']);
    expect(next.change?.patches).toEqual([{ uuid: vm('a').uuid, set: { state: 'running', osType: 'hvm' }, unset: ['stateReason'] }]);

    const held = mergeInventoryChange(undefined, first.change!);
    if (held.kind !== 'applied') throw new Error('first not applied');
    const merged = mergeInventoryChange(held.inventory, next.change!);
    if (merged.kind !== 'applied') throw new Error('delta not applied');
    const fresh = mergeInventoryChange(undefined, { ...new InventoryPublisher().publish(next.inventory).change! });
    if (fresh.kind !== 'applied') throw new Error('full not applied');
    expect(merged.inventory.vms).toEqual(fresh.inventory.vms);
    expect('stateReason' in merged.inventory.vms[0]!).toBe(false);
    // The unchanged VM keeps its object.
    expect(merged.inventory.vms[1]).toBe(held.inventory.vms[1]);
  });

  it('re-sorts on a rename and asks for the whole inventory when a patched VM is not held', () => {
    const publisher = new InventoryPublisher();
    const first = publisher.publish(read([vm('a'), vm('b')]));
    const renamed = publisher.publish(read([{ ...vm('a'), name: 'z' }, vm('b')], 2));
    const held = mergeInventoryChange(undefined, first.change!);
    if (held.kind !== 'applied') throw new Error('first not applied');
    const merged = mergeInventoryChange(held.inventory, renamed.change!);
    if (merged.kind !== 'applied') throw new Error('delta not applied');
    expect(merged.inventory.vms.map((v) => v.name)).toEqual(['b', 'z']);

    const without = { ...held.inventory, vms: [held.inventory.vms[1]!] };
    expect(mergeInventoryChange(without, renamed.change!).kind).toBe('gap');
  });
});

import { describe, expect, it } from 'vitest';
import type { HostInventory, HostSummary, VmSummary } from '../../preload/contract.js';
import { nodeKey } from '../../renderer/src/navigation/nodeRef.js';
import { buildTree, flattenVisible } from '../../renderer/src/navigation/treeModel.js';
import { treeKeyAction } from '../../renderer/src/navigation/treeKeyboard.js';

const host = (id: string, status: HostSummary['status'] = 'connected'): HostSummary => ({
  id,
  label: id,
  kind: 'ssh',
  uri: `qemu+ssh://${id}/system`,
  status,
});
const vm = (hostId: string, name: string): VmSummary => ({
  hostId,
  name,
  uuid: `uuid-${name}`,
  state: 'running',
  vcpus: 1,
  memoryKiB: 1024,
  persistent: true,
  autostart: false,
});
const inventory = (hostId: string, names: string[]): HostInventory => ({
  hostId,
  vms: names.map((name) => vm(hostId, name)),
  networks: [],
  pools: [],
  fetchedAt: 1,
});

describe('host tree model', () => {
  const hosts = [host('a'), host('b', 'libvirt-not-running')];
  const roots = buildTree(hosts, { a: inventory('a', ['vm10', 'vm2', 'Alpha']) });

  it('puts groups under hosts that have an inventory, VMs in natural order', () => {
    expect(roots.map((node) => node.key)).toEqual([nodeKey({ kind: 'host', hostId: 'a' }), nodeKey({ kind: 'host', hostId: 'b' })]);
    expect(roots[0]?.children.map((group) => group.ref)).toEqual([
      { kind: 'group', hostId: 'a', group: 'vms' },
      { kind: 'group', hostId: 'a', group: 'networks' },
      { kind: 'group', hostId: 'a', group: 'pools' },
    ]);
    expect(roots[0]?.children[0]?.children.map((node) => node.vm?.name)).toEqual(['Alpha', 'vm2', 'vm10']);
    expect(roots[1]?.children).toEqual([]);
  });

  it('shows everything expanded by default and hides collapsed subtrees', () => {
    expect(flattenVisible(roots, {}).length).toBe(2 + 3 + 3);
    const vmsGroup = nodeKey({ kind: 'group', hostId: 'a', group: 'vms' });
    expect(flattenVisible(roots, { [vmsGroup]: false }).length).toBe(2 + 3);
    expect(flattenVisible(roots, { [nodeKey({ kind: 'host', hostId: 'a' })]: false }).length).toBe(2);
  });

  it('keeps keys distinct when names contain separators', () => {
    const one = nodeKey({ kind: 'vm', hostId: 'a/b', name: 'c' });
    const two = nodeKey({ kind: 'vm', hostId: 'a', name: 'b/c' });
    expect(one).not.toBe(two);
  });
});

describe('tree keyboard', () => {
  const roots = buildTree([host('a'), host('b')], { a: inventory('a', ['one', 'two']) });
  const rows = flattenVisible(roots, {});
  const keyOf = (index: number): string => rows[index]?.key ?? '';
  const hostA = keyOf(0);
  const vmsGroup = keyOf(1);
  const firstVm = keyOf(2);
  const hostB = keyOf(rows.length - 1);

  it('moves with Up, Down, Home and End', () => {
    expect(treeKeyAction(rows, hostA, 'ArrowDown')).toEqual({ type: 'focus', key: vmsGroup });
    expect(treeKeyAction(rows, vmsGroup, 'ArrowUp')).toEqual({ type: 'focus', key: hostA });
    expect(treeKeyAction(rows, hostA, 'ArrowUp')).toBeNull();
    expect(treeKeyAction(rows, firstVm, 'Home')).toEqual({ type: 'focus', key: hostA });
    expect(treeKeyAction(rows, firstVm, 'End')).toEqual({ type: 'focus', key: hostB });
  });

  it('collapses with Left, then goes to the parent', () => {
    expect(treeKeyAction(rows, vmsGroup, 'ArrowLeft')).toEqual({ type: 'collapse', key: vmsGroup });
    expect(treeKeyAction(rows, firstVm, 'ArrowLeft')).toEqual({ type: 'focus', key: vmsGroup });
  });

  it('goes to the first child with Right, or expands a collapsed node', () => {
    expect(treeKeyAction(rows, vmsGroup, 'ArrowRight')).toEqual({ type: 'focus', key: firstVm });
    const collapsed = flattenVisible(roots, { [vmsGroup]: false });
    expect(treeKeyAction(collapsed, vmsGroup, 'ArrowRight')).toEqual({ type: 'expand', key: vmsGroup });
    expect(treeKeyAction(rows, firstVm, 'ArrowRight')).toBeNull();
  });

  it('opens with Enter', () => {
    expect(treeKeyAction(rows, firstVm, 'Enter')).toEqual({ type: 'activate', key: firstVm });
  });
});

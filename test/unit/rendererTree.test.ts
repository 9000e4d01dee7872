import { describe, expect, it } from 'vitest';
import type { HostInventory, HostSummary, VmSummary } from '../../preload/contract.js';
import { nodeKey } from '../../renderer/src/navigation/nodeRef.js';
import { buildTree, flattenVisible, GROUP_AUTO_EXPAND_LIMIT, isNodeOpen } from '../../renderer/src/navigation/treeModel.js';
import { folderAncestors, groupByFolder, knownFolders, normalizeFolder } from '../../renderer/src/navigation/folderGrouping.js';
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

describe('folders', () => {
  it('normalizes folder paths', () => {
    expect(normalizeFolder('  Lab / /Rack 2/ ')).toBe('Lab/Rack 2');
    expect(normalizeFolder('/')).toBe('');
    expect(normalizeFolder(undefined)).toBe('');
    expect(folderAncestors('Lab/Rack 2/Shelf')).toEqual(['Lab', 'Lab/Rack 2', 'Lab/Rack 2/Shelf']);
    expect(folderAncestors('')).toEqual([]);
  });

  it('groups items by nested folder, folders in natural order, items in their own order', () => {
    const items = [
      { name: 'x', folder: 'Lab/Rack 10' },
      { name: 'y', folder: '' },
      { name: 'z', folder: 'Lab/Rack 2' },
      { name: 'w', folder: 'Lab' },
      { name: 'v', folder: 'Lab/Rack 2 ' },
    ];
    const root = groupByFolder(items, (item) => item.folder);
    expect(root.items.map((item) => item.name)).toEqual(['y']);
    expect(root.folders.map((folder) => folder.path)).toEqual(['Lab']);
    const lab = root.folders[0]!;
    expect(lab.items.map((item) => item.name)).toEqual(['w']);
    expect(lab.folders.map((folder) => [folder.name, folder.items.map((item) => item.name)])).toEqual([
      ['Rack 2', ['z', 'v']],
      ['Rack 10', ['x']],
    ]);
  });

  it('suggests every folder in use and its parents', () => {
    expect(knownFolders(['Lab/Rack 2', 'Prod', undefined, '', 'Lab'])).toEqual(['Lab', 'Lab/Rack 2', 'Prod']);
  });

  it('puts hosts into folder nodes (folders first) with host counts', () => {
    const hosts = [
      { ...host('top'), folder: '' },
      { ...host('a'), folder: 'Lab/Rack 1' },
      { ...host('b'), folder: 'Lab' },
      { ...host('c'), folder: 'Lab/Rack 1' },
    ];
    const roots = buildTree(hosts, {});
    expect(roots.map((item) => item.key)).toEqual([nodeKey({ kind: 'folder', path: 'Lab' }), nodeKey({ kind: 'host', hostId: 'top' })]);
    const lab = roots[0]!;
    expect(lab.folder).toEqual({ path: 'Lab', name: 'Lab', hostCount: 3 });
    expect(lab.children.map((item) => item.folder?.path ?? item.host?.id)).toEqual(['Lab/Rack 1', 'b']);
    expect(lab.children[0]?.children.map((item) => item.host?.id)).toEqual(['a', 'c']);
    // Folders are open until closed; closing one hides its hosts.
    expect(flattenVisible(roots, {}).length).toBe(6);
    expect(flattenVisible(roots, { [lab.key]: false }).length).toBe(2);
  });

  it('keeps folder and host keys apart from each other', () => {
    expect(nodeKey({ kind: 'folder', path: 'a' })).not.toBe(nodeKey({ kind: 'host', hostId: 'a' }));
    expect(nodeKey({ kind: 'folder', path: 'a/b' })).not.toBe(nodeKey({ kind: 'folder', path: 'a' }));
  });
});

describe('tree filter', () => {
  const hosts = [
    { ...host('a'), label: 'kvm-alpha', tags: ['gpu'], folder: 'Lab' },
    { ...host('b'), label: 'kvm-bravo', address: '192.0.2.7' },
    { ...host('c'), label: 'other' },
  ];
  const inventories = { a: inventory('a', ['web1', 'db1']), b: inventory('b', ['web2', 'cache']), c: inventory('c', ['db2']) };
  const hostIds = (roots: ReturnType<typeof buildTree>): string[] =>
    flattenVisible(roots, {}, true)
      .filter((row) => row.ref.kind === 'host')
      .map((row) => (row.ref.kind === 'host' ? row.ref.hostId : ''));

  it('shows a host that matches by name, tag, address or folder with everything in it', () => {
    expect(hostIds(buildTree(hosts, inventories, { query: 'ALPHA' }))).toEqual(['a']);
    expect(hostIds(buildTree(hosts, inventories, { query: 'gpu' }))).toEqual(['a']);
    expect(hostIds(buildTree(hosts, inventories, { query: '192.0.2' }))).toEqual(['b']);
    expect(hostIds(buildTree(hosts, inventories, { query: 'lab' }))).toEqual(['a']);
    const roots = buildTree(hosts, inventories, { query: 'gpu' });
    const rows = flattenVisible(roots, {}, true);
    expect(rows.filter((row) => row.ref.kind === 'vm').length).toBe(2);
  });

  it('shows only the matching VMs of other hosts, and drops hosts and folders with none', () => {
    const roots = buildTree(hosts, inventories, { query: 'web' });
    expect(hostIds(roots)).toEqual(['a', 'b']);
    const vms = flattenVisible(roots, {}, true).filter((row) => row.ref.kind === 'vm');
    expect(vms.map((row) => (row.ref.kind === 'vm' ? row.ref.name : ''))).toEqual(['web1', 'web2']);
    expect(buildTree(hosts, inventories, { query: 'nothing-like-this' })).toEqual([]);
    // Only the VMs group is left under a host matched by its VMs.
    expect(roots.find((item) => item.host?.id === 'b')?.children.map((group) => group.ref)).toEqual([{ kind: 'group', hostId: 'b', group: 'vms' }]);
  });

  it('uses the display name it is given (built-in hosts are named in the reader’s language)', () => {
    const roots = buildTree(hosts, inventories, { query: 'dieser', hostName: (item) => (item.id === 'c' ? 'Dieser Computer' : item.label) });
    expect(hostIds(roots)).toEqual(['c']);
  });

  it('opens big groups of hits only on request, while filtering', () => {
    const many = Array.from({ length: GROUP_AUTO_EXPAND_LIMIT + 1 }, (_, index) => `web${index}`);
    const roots = buildTree([host('a')], { a: inventory('a', many) }, { query: 'web' });
    const group = roots[0]!.children[0]!;
    expect(isNodeOpen(group, {}, true)).toBe(false);
    expect(isNodeOpen(group, {}, false)).toBe(true);
    expect(isNodeOpen(group, { [group.key]: true }, true)).toBe(true);
  });

  it('reuses the nodes of an unchanged inventory (no rebuild of untouched hosts)', () => {
    const inv = inventory('a', ['one']);
    const first = buildTree([host('a')], { a: inv });
    const second = buildTree([host('a'), host('b')], { a: inv, b: inventory('b', ['two']) });
    expect(second[0]!.children).toBe(first[0]!.children);
  });
});

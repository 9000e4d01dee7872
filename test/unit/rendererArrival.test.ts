// Many hosts arriving: one store update per frame, and tree nodes of unchanged hosts kept.
import { describe, expect, it, vi } from 'vitest';
import type { HostInventory, HostSummary } from '../../preload/contract.js';
import { createTreeBuilder } from '../../renderer/src/navigation/treeModel.js';
import { createFrameBatch } from '../../renderer/src/services/frameBatch.js';

const host = (id: string, folder = 'rack1'): HostSummary => ({ id, label: id, kind: 'ssh', uri: 'qemu:///system', status: 'connected', folder });
const inventory = (hostId: string, count: number): HostInventory => ({
  hostId,
  vms: Array.from({ length: count }, (_, i) => ({
    hostId, name: `vm${i}`, uuid: `u${i}`, state: 'shutoff', vcpus: 1, memoryKiB: 1, persistent: true, autostart: false,
  })),
  networks: [],
  pools: [],
  fetchedAt: 1,
});

describe('createTreeBuilder', () => {
  it('keeps the nodes of hosts and folders that did not change', () => {
    const build = createTreeBuilder();
    const hosts = [host('a'), host('b'), host('c', 'rack2')];
    const inventories: Record<string, HostInventory> = { a: inventory('a', 3), b: inventory('b', 2) };
    const first = build(hosts, inventories);
    const second = build(hosts, { ...inventories, c: inventory('c', 1) });
    const [rack1First, rack2First] = first;
    const [rack1Second, rack2Second] = second;
    expect(rack1Second).toBe(rack1First);
    expect(rack2Second).not.toBe(rack2First);
    expect(rack2Second?.children[0]?.children[0]?.children).toHaveLength(1);
  });
});

describe('createFrameBatch', () => {
  it('runs everything queued in one go, once per frame or after a fallback timer', () => {
    vi.useFakeTimers();
    try {
      const runs: number[] = [];
      const batch = createFrameBatch((queued) => {
        runs.push(queued.length);
        for (const work of queued) work();
      });
      let applied = 0;
      for (let i = 0; i < 50; i += 1) batch.push(() => (applied += 1));
      expect(applied).toBe(0);
      vi.advanceTimersByTime(200);
      expect(applied).toBe(50);
      expect(runs).toEqual([50]);
      batch.push(() => (applied += 1));
      batch.flush();
      expect(applied).toBe(51);
    } finally {
      vi.useRealTimers();
    }
  });
});

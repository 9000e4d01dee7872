// The bridge assistant against the lab's opt-in bridge host (test/lab/bridgeHost.ts): ifupdown
// owns its management interface, a veth whose address the app's SSH session arrives at.
// (b) a plan that breaks connectivity rolls back by itself within the timeout;
// (a) a good plan is applied, the app reconnects through the bridge and disarms the rollback;
// (c) removing the bridge restores the original configuration exactly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import { proposeBridgePlan, type BridgeOutcome, type BridgePlan, type BridgePreview, type HostInterfacesInfo, type HostProfile } from '../../preload/contract.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import { BRIDGE_HOST_ADDRESS, BRIDGE_HOST_INTERFACES, LAN_DHCP_RANGE, startBridgeHost, type BridgeLabHost } from '../lab/bridgeHost.js';
import { readLabHosts } from '../lab/index.js';
import { miniDomainXml } from '../lab/miniGuest.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';
import { netMiniGuestFiles } from '../support/netMiniGuest.js';

let dir: string;
let app: App;
let watch: AppWatcher;
let host: BridgeLabHost;
let hostId: string;

const interfaces = async () => (await app.registry.call('hostnet.interfaces', { hostId })) as HostInterfacesInfo;

async function goodPlan(): Promise<BridgePlan> {
  const info = await interfaces();
  const eth0 = info.interfaces.find((i) => i.name === 'eth0')!;
  return { ...proposeBridgePlan(eth0, info.interfaces, info.dns), rollbackSeconds: 60 };
}

async function ip(argv: string[]): Promise<unknown[]> {
  const r = await host.exec(['ip', '-j', ...argv]);
  return r.code === 0 ? (JSON.parse(r.stdout) as unknown[]) : [];
}

beforeAll(async () => {
  host = await startBridgeHost();
  dir = await mkdtemp(join(tmpdir(), 'vd-bridge-'));
  const knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `${host.address} ${host.hostKey}\n`);
  app = await createApp({ mode: 'web', configDir: dir, versions: {}, systemLocale: 'en', userKnownHosts: knownHosts }, { includeLocal: false, includeDemo: false, retry: { baseMs: 500, capMs: 2_000 } });
  watch = new AppWatcher(app);
  const profile = (await app.registry.call('profiles.create', {
    fields: { label: 'bridge host', address: host.address, port: host.port, user: host.user, auth: 'key', keyFile: host.keyFile, jumpHosts: [], uri: 'qemu:///system', sudo: true, folder: '', tags: [], rememberSecret: false },
  })) as HostProfile;
  hostId = profile.id;
  await watch.waitForStatus(hostId, 'connected', 60_000);
}, 180_000);

afterAll(async () => {
  watch?.dispose();
  await app?.dispose();
  await host?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('bridge assistant on an ifupdown host', () => {
  it('reads the interfaces: the veth carrying the session, owned by ifupdown, rollback by a detached job', async () => {
    const info = await interfaces();
    const eth0 = info.interfaces.find((i) => i.name === 'eth0');
    expect(eth0).toMatchObject({ kind: 'veth', state: 'up' });
    expect(eth0!.addresses).toContainEqual(expect.objectContaining({ family: 'inet', address: BRIDGE_HOST_ADDRESS, prefix: 24, dynamic: false }));
    expect(info.sessionInterface).toBe('eth0');
    expect(info.stacks.eth0).toMatchObject({ stack: 'ifupdown' });
    expect(info.rollback).toBe('setsid');
    expect(info.privilegeProblem).toBeUndefined();
  });

  it('previews the exact change to /etc/network/interfaces and refuses a taken name', async () => {
    const plan = await goodPlan();
    const preview = (await app.registry.call('hostnet.bridge.preview', { hostId, plan })) as BridgePreview;
    expect(preview.problems).toEqual([]);
    expect(preview.stack).toBe('ifupdown');
    expect(preview.files[0]!.diff).toContain('+iface br0 inet static');
    expect(preview.files[0]!.diff).toContain('+\tbridge_ports eth0');
    const taken = (await app.registry.call('hostnet.bridge.preview', { hostId, plan: { ...plan, bridge: 'eth0' } })) as BridgePreview;
    expect(taken.problems.map((p) => p.code)).toEqual(['name-taken']);
  });

  it('(b) a plan that breaks connectivity rolls back by itself; the host is back at its old address', async () => {
    const plan = { ...(await goodPlan()), ipv4: { mode: 'static' as const, addresses: ['198.18.0.239/24'], gateway: '' }, rollbackSeconds: 20 };
    const started = Date.now();
    const outcome = (await app.registry.call('hostnet.bridge.apply', { hostId, plan })) as BridgeOutcome;
    expect(outcome.outcome).toBe('rolled-back');
    expect(Date.now() - started).toBeLessThan(20_000 + 90_000);
    expect(await host.interfacesFile()).toBe(BRIDGE_HOST_INTERFACES);
    const info = await interfaces();
    expect(info.sessionInterface).toBe('eth0');
    expect(info.interfaces.some((i) => i.name === 'br0')).toBe(false);
    expect(info.lastChange).toMatchObject({ state: 'rolled-back', bridge: 'br0', action: 'create' });
  }, 180_000);

  it('(a) bridges the interface: the app reconnects through br0 and disarms the rollback', async () => {
    const plan = await goodPlan();
    const mac = plan.mac;
    const outcome = (await app.registry.call('hostnet.bridge.apply', { hostId, plan })) as BridgeOutcome;
    expect(outcome.outcome).toBe('committed');
    const info = await interfaces();
    const br0 = info.interfaces.find((i) => i.name === 'br0');
    expect(br0).toMatchObject({ kind: 'bridge', mac, ports: ['eth0'] });
    expect(br0!.addresses).toContainEqual(expect.objectContaining({ address: BRIDGE_HOST_ADDRESS }));
    expect(info.sessionInterface).toBe('br0');
    expect(info.lastChange).toMatchObject({ state: 'committed', action: 'create' });
    // Disarmed on the host: the timer is gone, so nothing will restore behind the app's back.
    // The signal is delivered and the process reaped a moment after disarm.sh returns: wait for it.
    // A process that has exited but is not reaped yet (state Z) is gone as far as restoring goes.
    const timerAlive = ['sh', '-c', 'p="$(cat "$1/timer.pid")"; [ -r "/proc/$p/status" ] && ! grep -q "^State:[[:space:]]*Z" "/proc/$p/status"', 'sh', outcome.backupDir];
    await waitFor('the rollback timer to be gone', async () => ((await host.exec(timerAlive)).code !== 0 ? true : undefined), 15_000, 100);
    expect((await host.exec(['test', '-e', `${outcome.backupDir}/armed`])).code).not.toBe(0);
    // STP off, forward delay 0, as planned.
    const details = (await ip(['-d', 'link', 'show', 'br0'])) as Array<{ linkinfo?: { info_data?: { stp_state?: number; forward_delay?: number } } }>;
    expect(details[0]?.linkinfo?.info_data).toMatchObject({ stp_state: 0, forward_delay: 0 });
    expect(await host.interfacesFile()).toContain('bridge_ports eth0');
  }, 180_000);

  it('a guest moved onto the bridge gets a DHCP lease from the LAN\'s server', async () => {
    const files = await netMiniGuestFiles();
    const dirOnHost = '/var/lib/libvirt/images/vdbridge';
    // Test setup as root inside the host (its private /var/lib/libvirt).
    expect((await host.exec(['sh', '-c', 'mkdir -p "$1" && cp "$2" "$1/vmlinuz" && cp "$3" "$1/initrd.gz" && chmod 644 "$1"/*', 'sh', dirOnHost, files.kernel, files.initrd])).code).toBe(0);
    const mac = '52:54:00:b1:d6:01';
    const kvm = (await readLabHosts())[0]?.kvm ?? false;
    const xml = miniDomainXml({ name: 'bridged-guest', kvm, kernel: `${dirOnHost}/vmlinuz`, initrd: `${dirOnHost}/initrd.gz` }).replace(
      '<devices>',
      `<devices>\n    <interface type='network'><mac address='${mac}'/><source network='default'/><model type='e1000'/></interface>`,
    );
    await defineXml(app.services.hosts.get(hostId).libvirt(), 'domain', xml);
    expect(await app.registry.call('hostnet.guest.attach', { hostId, name: 'bridged-guest', mac, bridge: 'br0' })).toEqual({ live: false });
    const defined = await host.exec(['virsh', '-c', 'qemu:///system', 'domiflist', 'bridged-guest']);
    expect(defined.stdout).toMatch(new RegExp(`bridge\\s+br0\\s+e1000\\s+${mac}`));
    await app.registry.call('vm.action', { hostId, name: 'bridged-guest', action: 'start' });
    const lease = await waitFor('a DHCP lease for the bridged guest on the LAN', async () => {
      const line = (await host.leases()).split('\n').find((l) => l.includes(mac));
      return line || undefined;
    }, 180_000, 1_000);
    const address = lease.split(/\s+/)[2]!;
    const last = Number(address.split('.')[3]);
    expect(last).toBeGreaterThanOrEqual(Number(LAN_DHCP_RANGE[0].split('.')[3]));
    expect(last).toBeLessThanOrEqual(Number(LAN_DHCP_RANGE[1].split('.')[3]));
    await host.exec(['virsh', '-c', 'qemu:///system', 'destroy', 'bridged-guest']);
    await host.exec(['virsh', '-c', 'qemu:///system', 'undefine', 'bridged-guest']);
  }, 240_000);

  it('(c) removing the bridge restores the original configuration exactly', async () => {
    const outcome = (await app.registry.call('hostnet.bridge.remove', { hostId, bridge: 'br0', rollbackSeconds: 60 })) as BridgeOutcome;
    expect(outcome.outcome).toBe('committed');
    expect(await host.interfacesFile()).toBe(BRIDGE_HOST_INTERFACES);
    const info = await interfaces();
    expect(info.interfaces.some((i) => i.name === 'br0')).toBe(false);
    expect(info.sessionInterface).toBe('eth0');
    expect(info.interfaces.find((i) => i.name === 'eth0')!.addresses).toContainEqual(expect.objectContaining({ address: BRIDGE_HOST_ADDRESS, prefix: 24 }));
  }, 180_000);
});

// The fleet advisor on two real lab hosts: findings computed from what the app holds, each
// remedy run through the app's handlers and read back from the host with virsh. Guests are
// only defined (never booted), except one started briefly for the CPU rule.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdvisorFinding, AdvisorReport, AdvisorRemedyResult } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { defineLabDirPool } from '../support/labPool.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOSTS = ['lab1', 'lab2'] as const;
const tag = randomBytes(3).toString('hex');
const SHARED_MAC = `52:54:00:${tag.slice(0, 2)}:${tag.slice(2, 4)}:${tag.slice(4, 6)}`;
const POOL = `vd-adv-${tag}`;
const POOL_PATH = `/var/tmp/vd-adv-${tag}`;
const cleanup: Record<string, string[][]> = { lab1: [], lab2: [] };
let lab: LabApp;
const hostIds: Record<string, string> = {};
let kvm: boolean;

async function virsh(host: string, ...argv: string[]): Promise<string> {
  const result = await labExec(host, ['virsh', '-q', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')} on ${host}: ${result.stderr}`);
  return result.stdout;
}

function call<T>(name: string, args: unknown): Promise<T> {
  return lab.app.registry.call(name as never, args as never) as Promise<T>;
}

const findings = async () => (await call<AdvisorReport>('advisor.findings', {})).findings;
const remedy = (findingId: string) => call<AdvisorRemedyResult>('advisor.remedy', { findingId });
const ofVm = (list: AdvisorFinding[], rule: string, vm: string) => list.filter((item) => item.rule === rule && item.vms.some((ref) => ref.name === vm));

/** A guest that is only defined: Debian 12 per its libosinfo metadata, the given devices. */
async function defineGuest(host: string, name: string, devices: string, options: { vcpus?: number } = {}): Promise<void> {
  const xml = `<domain type='${kvm ? 'kvm' : 'qemu'}'>
  <name>${name}</name>
  <metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://debian.org/debian/12"/></libosinfo:libosinfo></metadata>
  <memory unit='MiB'>64</memory>
  <vcpu>${options.vcpus ?? 1}</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>${devices}<memballoon model='none'/></devices>
</domain>`;
  await labExec(host, ['sh', '-c', 'cat > "$1"', 'sh', `/var/tmp/${name}.xml`], { input: xml });
  await virsh(host, 'define', `/var/tmp/${name}.xml`);
  cleanup[host]!.unshift(['rm', '-f', `/var/tmp/${name}.xml`]);
  cleanup[host]!.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--snapshots-metadata', '--domain', name]);
  cleanup[host]!.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]);
  await lab.app.services.hosts.get(hostIds[host]!).refresh();
}

/** Every MAC of every domain on a lab host, read with virsh. */
async function hostMacs(host: string): Promise<string[]> {
  const names = (await virsh(host, 'list', '--all', '--name')).split('\n').map((line) => line.trim()).filter(Boolean);
  const macs: string[] = [];
  for (const name of names) for (const match of (await virsh(host, 'dumpxml', '--inactive', '--domain', name)).matchAll(/<mac address='([^']+)'/g)) macs.push(match[1]!.toLowerCase());
  return macs;
}

const nic = (mac: string, model: string) => `<interface type='user'><mac address='${mac}'/><model type='${model}'/></interface>`;

beforeAll(async () => {
  lab = await startLabApp();
  for (const host of HOSTS) hostIds[host] = await lab.addHost(host);
  kvm = (await readLabHost('lab1')).kvm;
  await defineLabDirPool('lab2', POOL, POOL_PATH, cleanup.lab2!);
  await virsh('lab2', 'vol-create-as', POOL, 'root.qcow2', '16M', '--format', 'qcow2');
  await virsh('lab2', 'vol-create-as', POOL, 'data.img', '16M', '--format', 'raw');
  await call('advisor.refresh', {});
}, 120_000);

afterAll(async () => {
  for (const host of HOSTS) for (const argv of cleanup[host]!) await labExec(host, argv).catch(() => undefined);
  await lab?.close();
});

describe('host facts', () => {
  it('reads threads, memory, KVM and the clock of each host once', async () => {
    const report = await call<AdvisorReport>('advisor.findings', {});
    for (const host of HOSTS) {
      const facts = report.hosts.find((candidate) => candidate.hostId === hostIds[host]);
      const nodeinfo = await virsh(host, 'nodeinfo');
      expect(facts?.threads).toBe(Number(/CPU\(s\):\s*(\d+)/.exec(nodeinfo)?.[1]));
      expect(facts?.memoryKiB).toBe(Number(/Memory size:\s*(\d+)/.exec(nodeinfo)?.[1]));
      expect(facts?.kvmUsable).toBe(kvm);
      // Network namespaces share this machine's clock: the offset is the measurement's own error.
      expect(Math.abs(facts!.clockOffsetMs!)).toBeLessThan(1000);
      console.log(`advisor clock offset ${host}: ${facts!.clockOffsetMs} ms (±${facts!.clockUncertaintyMs} ms); kvm usable: ${facts!.kvmUsable}`);
    }
    expect(report.findings.filter((item) => item.rule === 'clock-offset' || item.rule === 'clock-spread')).toEqual([]);
  });
});

describe('MAC collision across two hosts', () => {
  const a = `vd-adv-a-${tag}`;
  const b = `vd-adv-b-${tag}`;
  beforeAll(async () => {
    await defineGuest('lab1', a, nic(SHARED_MAC, 'virtio'));
    await defineGuest('lab2', b, nic(SHARED_MAC, 'virtio'));
  });

  it('shows one collision, and its remedy gives one guest a fleet-unique MAC', async () => {
    const collisions = (await findings()).filter((item) => item.rule === 'mac-collision' && item.params.mac === SHARED_MAC);
    expect(collisions).toHaveLength(1);
    const collision = collisions[0]!;
    expect(collision.vms.map((vm) => vm.name).sort()).toEqual([a, b]);
    expect(collision.hostIds.sort()).toEqual([hostIds.lab1, hostIds.lab2].sort());
    const target = collision.remedy!.vm;
    const targetHost = target.hostId === hostIds.lab1 ? 'lab1' : 'lab2';
    expect(await remedy(collision.id)).toEqual({ outcome: 'applied' });

    const xml = await virsh(targetHost, 'dumpxml', '--inactive', '--domain', target.name);
    const newMac = /<mac address='([^']+)'/.exec(xml)?.[1];
    expect(newMac).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    expect(newMac).not.toBe(SHARED_MAC);
    const everyMac = [...(await hostMacs('lab1')), ...(await hostMacs('lab2'))];
    expect(everyMac.filter((mac) => mac === newMac)).toHaveLength(1);
    expect(everyMac.filter((mac) => mac === SHARED_MAC)).toHaveLength(1);
    expect((await findings()).filter((item) => item.rule === 'mac-collision' && item.params.mac === SHARED_MAC)).toEqual([]);
    // Run again, the finding is gone: refused, nothing changed.
    expect(await remedy(collision.id)).toEqual({ outcome: 'refused', reason: 'gone' });
  });
});

describe('one VM, several rules, each remedy read back from the host', () => {
  const c = `vd-adv-c-${tag}`;
  beforeAll(async () => {
    const root = (await virsh('lab2', 'vol-path', '--pool', POOL, '--vol', 'root.qcow2')).trim();
    const data = (await virsh('lab2', 'vol-path', '--pool', POOL, '--vol', 'data.img')).trim();
    await defineGuest(
      'lab2',
      c,
      `<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='unsafe'/><source file='${root}'/><target dev='vda' bus='virtio'/></disk>
       ${nic('52:54:00:0c:' + tag.slice(0, 2) + ':' + tag.slice(2, 4), 'rtl8139')}`,
    );
    // An internal snapshot (of the qcow2 disk), then a raw disk added: the VM has snapshots its raw disk cannot join.
    await virsh('lab2', 'snapshot-create-as', '--domain', c, '--name', 's1');
    await virsh('lab2', 'attach-disk', '--domain', c, '--source', data, '--target', 'vdb', '--targetbus', 'virtio', '--driver', 'qemu', '--subdriver', 'raw', '--config');
    lab.app.services.hosts.get(hostIds.lab2!).domainRedefined(c);
    await lab.app.services.hosts.get(hostIds.lab2!).refresh();
  });

  it('raises the unsafe cache, rtl8139 and raw-disk findings', async () => {
    const list = await findings();
    expect(ofVm(list, 'disk-cache', c).map((item) => [item.params.target, item.params.cache, item.severity])).toEqual([['vda', 'unsafe', 'critical']]);
    expect(ofVm(list, 'nic-model', c).map((item) => item.params.model)).toEqual(['rtl8139']);
    expect(ofVm(list, 'raw-disk-snapshots', c).map((item) => item.params.target)).toEqual(['vdb']);
  });

  it('cache → none', async () => {
    const [finding] = ofVm(await findings(), 'disk-cache', c);
    expect(await remedy(finding!.id)).toEqual({ outcome: 'applied' });
    expect(await virsh('lab2', 'dumpxml', '--inactive', '--domain', c)).toMatch(/<driver name='qemu' type='qcow2' cache='none'\/>/);
    expect(ofVm(await findings(), 'disk-cache', c)).toEqual([]);
  });

  it('rtl8139 → virtio, same MAC', async () => {
    const [finding] = ofVm(await findings(), 'nic-model', c);
    expect(await remedy(finding!.id)).toEqual({ outcome: 'applied' });
    const xml = await virsh('lab2', 'dumpxml', '--inactive', '--domain', c);
    expect(xml).toContain(`<mac address='${finding!.params.mac}'/>`);
    expect(xml).toMatch(/<model type='virtio'\/>/);
    expect(ofVm(await findings(), 'nic-model', c)).toEqual([]);
  });

  it('a finding whose VM changed on the host is refused and changes nothing', async () => {
    const [finding] = ofVm(await findings(), 'raw-disk-snapshots', c);
    // Behind the app's back: the raw disk now says qcow2 (no event reaches the held inventory first).
    const before = await virsh('lab2', 'dumpxml', '--inactive', '--domain', c);
    const changed = before.replace(/<driver name='qemu' type='raw'\/>/, "<driver name='qemu' type='qcow2'/>");
    await labExec('lab2', ['sh', '-c', 'cat > "$1"', 'sh', `/var/tmp/${c}-changed.xml`], { input: changed });
    await virsh('lab2', 'define', `/var/tmp/${c}-changed.xml`);
    const defined = await virsh('lab2', 'dumpxml', '--inactive', '--domain', c);
    // `changed` from the fresh read, or `gone` when the host's Defined event got there first.
    const result = await remedy(finding!.id);
    expect(result.outcome).toBe('refused');
    expect(['changed', 'gone']).toContain(result.outcome === 'refused' ? result.reason : '');
    expect(await virsh('lab2', 'dumpxml', '--inactive', '--domain', c)).toBe(defined);
    expect(await virsh('lab2', 'vol-list', '--pool', POOL)).not.toContain('data.qcow2');
    await labExec('lab2', ['sh', '-c', 'cat > "$1"', 'sh', `/var/tmp/${c}-changed.xml`], { input: before });
    await virsh('lab2', 'define', `/var/tmp/${c}-changed.xml`);
    await labExec('lab2', ['rm', '-f', `/var/tmp/${c}-changed.xml`]);
    lab.app.services.hosts.get(hostIds.lab2!).domainRedefined(c);
    await lab.app.services.hosts.get(hostIds.lab2!).refresh();
  });

  it('raw → qcow2: a copy next to it, the disk pointed at it, the raw volume kept', async () => {
    const [finding] = ofVm(await findings(), 'raw-disk-snapshots', c);
    expect(finding).toBeDefined();
    expect(await remedy(finding!.id)).toEqual({ outcome: 'applied' });
    const xml = await virsh('lab2', 'dumpxml', '--inactive', '--domain', c);
    expect(xml).toMatch(/<driver name='qemu' type='qcow2'\/>\s*<source file='[^']*\/data\.qcow2'/);
    const volumes = await virsh('lab2', 'vol-list', '--pool', POOL);
    expect(volumes).toContain('data.img');
    expect(volumes).toContain('data.qcow2');
    const info = await labExec('lab2', ['qemu-img', 'info', '--output=json', '-U', `${POOL_PATH}/data.qcow2`]);
    expect(JSON.parse(info.stdout).format).toBe('qcow2');
    expect(ofVm(await findings(), 'raw-disk-snapshots', c)).toEqual([]);
  });
});

describe('accelerator and CPU overcommit on lab1', () => {
  const d = `vd-adv-d-${tag}`;

  it('a qemu guest raises the accelerator finding only where KVM is usable, and its remedy switches it', async () => {
    await defineGuest('lab1', d, '', { vcpus: 1 });
    // defineGuest makes kvm guests where KVM works; make this one qemu either way.
    const xml = (await virsh('lab1', 'dumpxml', '--inactive', '--domain', d)).replace("<domain type='kvm'>", "<domain type='qemu'>");
    await labExec('lab1', ['sh', '-c', 'cat > "$1"', 'sh', `/var/tmp/${d}.xml`], { input: xml });
    await virsh('lab1', 'define', `/var/tmp/${d}.xml`);
    lab.app.services.hosts.get(hostIds.lab1!).domainRedefined(d);
    await lab.app.services.hosts.get(hostIds.lab1!).refresh();
    const list = ofVm(await findings(), 'domain-type-qemu', d);
    if (!kvm) {
      // This machine has no usable KVM (TCG only): qemu is the right type here, nothing to say.
      expect(list).toEqual([]);
      return;
    }
    expect(list).toHaveLength(1);
    expect(await remedy(list[0]!.id)).toEqual({ outcome: 'applied' });
    expect(await virsh('lab1', 'dumpxml', '--inactive', '--domain', d)).toMatch(/^<domain type='kvm'/);
    expect(ofVm(await findings(), 'domain-type-qemu', d)).toEqual([]);
  });

  it('a running guest with more vCPUs than the host has threads raises CPU overcommit', async () => {
    const report = await call<AdvisorReport>('advisor.findings', {});
    const threads = report.hosts.find((facts) => facts.hostId === hostIds.lab1)!.threads!;
    const e = `vd-adv-e-${tag}`;
    // No boot device: the firmware finds nothing to boot and idles, which is all this needs.
    await defineGuest('lab1', e, '', { vcpus: threads + 1 });
    await virsh('lab1', 'start', '--domain', e);
    await lab.app.services.hosts.get(hostIds.lab1!).refresh();
    const [finding] = (await findings()).filter((item) => item.rule === 'cpu-overcommit' && item.hostIds.includes(hostIds.lab1!));
    expect(finding?.vms.map((vm) => vm.name)).toContain(e);
    expect(Number(finding!.params.vcpus)).toBeGreaterThanOrEqual(threads + 1);
    expect(finding!.severity).toBe(Number(finding!.params.ratio) > 4 ? 'critical' : 'warning');
    await virsh('lab1', 'destroy', '--domain', e);
    await lab.app.services.hosts.get(hostIds.lab1!).refresh();
    expect((await findings()).filter((item) => item.rule === 'cpu-overcommit' && item.vms.some((vm) => vm.name === e))).toEqual([]);
  });
});

// A VM's overview on a real lab host, through the app's contract: `vm.details` of a running guest
// with many devices reads every field as `virsh dumpxml` / `domblkinfo` / `ps` on the host say;
// `vm.addresses` gets the guest's DHCP lease on the default network (the networked mini guest
// asks for one), reports the absent guest agent as unavailable, not failed, and says what the ARP
// source answered (on this machine's kernel libvirt 9's netlink read fails: "wrong nlmsg len").
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { defineXml } from '../../main/libvirt/definitions.js';
import { virshErrorMessage } from '../../main/libvirt/virshSession.js';
import { VmAddresses, VmDetailsInfo } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { waitFor } from '../support/appEvents.js';
import { startLabApp, type LabApp } from '../support/labApp.js';
import { netMiniGuestFiles } from '../support/netMiniGuest.js';

const HOST = 'lab3';
const tag = randomBytes(3).toString('hex');
const NAME = `vd-details-${tag}`;
const MAC1 = `52:54:00:d1:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
const MAC2 = `52:54:00:d2:${tag.slice(0, 2)}:${tag.slice(2, 4)}`;
const DIR = `/var/tmp/vd-details-${tag}`;
let lab: LabApp;
let hostId: string;
const cleanup: string[][] = [];

async function onHost(argv: string[]): Promise<string> {
  const result = await labExec(HOST, argv);
  if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
const virsh = (...args: string[]): Promise<string> => onHost(['virsh', '-c', 'qemu:///system', ...args]);

function domainXml(kvm: boolean): string {
  return `<domain type='${kvm ? 'kvm' : 'qemu'}'>
  <name>${NAME}</name>
  <title>Details test</title>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit='MiB'>192</memory>
  <currentMemory unit='MiB'>160</currentMemory>
  <vcpu current='1'>2</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>${DIR}/vmlinuz</kernel>
    <initrd>${DIR}/initrd.gz</initrd>
    <cmdline>console=ttyS0 quiet panic=-1</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='${DIR}/system.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='${DIR}/data.raw'/>
      <target dev='sda' bus='sata'/>
      <shareable/>
    </disk>
    <disk type='file' device='cdrom'>
      <driver name='qemu' type='raw'/>
      <target dev='sdb' bus='sata'/>
      <readonly/>
    </disk>
    <interface type='network'>
      <mac address='${MAC1}'/>
      <source network='default'/>
      <model type='e1000'/>
    </interface>
    <interface type='network'>
      <mac address='${MAC2}'/>
      <source network='default'/>
      <model type='virtio'/>
      <link state='down'/>
    </interface>
    <serial type='pty'><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <memballoon model='virtio'/>
  </devices>
</domain>
`;
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  const libvirt = lab.app.services.hosts.get(hostId).libvirt();
  const files = await netMiniGuestFiles();
  cleanup.push(['rm', '-rf', DIR]);
  await runRemoteJob(libvirt.runner, ['mkdir', '-m', '0755', DIR]);
  for (const [file, local] of [['vmlinuz', files.kernel], ['initrd.gz', files.initrd]] as const) {
    const bytes = await readFile(local);
    await putFile(libvirt.runner, `${DIR}/${file}`, bytes, { size: bytes.length, mode: 0o644 });
  }
  await runRemoteJob(libvirt.runner, ['qemu-img', 'create', '-q', '-f', 'qcow2', `${DIR}/system.qcow2`, '64M']);
  await runRemoteJob(libvirt.runner, ['truncate', '-s', '16M', `${DIR}/data.raw`]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', NAME]);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', NAME]);
  await defineXml(libvirt, 'domain', domainXml((await readLabHost(HOST)).kvm));
  await lab.app.registry.call('vm.action', { hostId, name: NAME, action: 'start' });
}, 180_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
});

describe('vm.details', () => {
  it('reads every field of a running guest with many devices as libvirt has it', { timeout: 60_000 }, async () => {
    const details = VmDetailsInfo.parse(await lab.app.registry.call('vm.details', { hostId, name: NAME }));
    const live = await virsh('dumpxml', '--domain', NAME);
    const uuid = (await virsh('domuuid', '--domain', NAME)).trim();

    expect(details).toMatchObject({
      hostId,
      name: NAME,
      uuid,
      title: 'Details test',
      os: { id: 'http://debian.org/debian/12', name: 'Debian 12' },
      osType: 'hvm',
      arch: 'x86_64',
      active: true,
      vcpus: { current: 1, max: 2 },
      memory: { maxKiB: 192 * 1024 },
    });
    // Live, <currentMemory> is the balloon's actual size (the guest loads no balloon driver).
    expect(details.memory.currentKiB).toBe(Number(/<currentMemory unit='KiB'>(\d+)</.exec(live)?.[1]));
    expect(details.machine).toBe(/<type arch='x86_64' machine='([^']+)'>hvm/.exec(live)?.[1]);

    // Disks: target, bus, kind, path, format, flags; sizes as domblkinfo reports each disk.
    expect(details.disks.map(({ capacityBytes: _c, allocationBytes: _a, ...disk }) => disk)).toEqual([
      { target: 'vda', bus: 'virtio', device: 'disk', sourceType: 'file', path: `${DIR}/system.qcow2`, format: 'qcow2', readonly: false, shareable: false },
      { target: 'sda', bus: 'sata', device: 'disk', sourceType: 'file', path: `${DIR}/data.raw`, format: 'raw', readonly: false, shareable: true },
      // An empty drive's live XML has no driver type (libvirt drops it until media is inserted).
      { target: 'sdb', bus: 'sata', device: 'cdrom', sourceType: 'file', readonly: true, shareable: false },
    ]);
    expect(/<target dev='sdb'/.test(live) && !/<driver name='qemu' type='raw'\/>\s*<target dev='sdb'/.test(live)).toBe(true);
    for (const target of ['vda', 'sda']) {
      const info = await virsh('domblkinfo', '--domain', NAME, target);
      const capacity = Number(/Capacity:\s+(\d+)/.exec(info)?.[1]);
      const allocation = Number(/Allocation:\s+(\d+)/.exec(info)?.[1]);
      expect(details.disks.find((disk) => disk.target === target)).toMatchObject({ capacityBytes: capacity, allocationBytes: allocation });
    }
    expect(details.disks.find((disk) => disk.target === 'vda')?.capacityBytes).toBe(64 * 1024 * 1024);
    expect(details.disks.find((disk) => disk.target === 'sda')?.capacityBytes).toBe(16 * 1024 * 1024);
    expect(details.disks.find((disk) => disk.target === 'sdb')?.capacityBytes).toBeUndefined();

    // NICs: MAC, model, source, link state, and the host-side device libvirt gave each.
    const vnets = [...live.matchAll(/<target dev='(vnet\d+)'\/>/g)].map((match) => match[1]);
    expect(vnets).toHaveLength(2);
    expect(details.nics).toEqual([
      { mac: MAC1, type: 'network', model: 'e1000', source: 'default', linkState: 'up', hostDevice: vnets[0] },
      { mac: MAC2, type: 'network', model: 'virtio', source: 'default', linkState: 'down', hostDevice: vnets[1] },
    ]);

    // Graphics: the port QEMU got, as the live XML says.
    const port = Number(/<graphics type='vnc' port='(\d+)'/.exec(live)?.[1]);
    expect(port).toBeGreaterThanOrEqual(5900);
    expect(details.graphics).toEqual([{ type: 'vnc', listen: '127.0.0.1', port, autoport: true }]);

    // Uptime: the QEMU process libvirt recorded, measured on the host.
    const pid = Number((await onHost(['cat', `/run/libvirt/qemu/${NAME}.pid`])).trim());
    const elapsed = Number((await onHost(['ps', '-o', 'etimes=', '-p', String(pid)])).trim());
    expect(details.uptime?.pid).toBe(pid);
    expect(['pidfile', 'uuid']).toContain(details.uptime?.via);
    const uptimeSeconds = (Date.now() - (details.uptime?.startedAt ?? 0)) / 1000;
    expect(Math.abs(uptimeSeconds - elapsed)).toBeLessThan(5);
    console.log(`vmDetails: uptime via ${details.uptime?.via}, ${elapsed} s; pid file ${(await onHost(['ls', '-l', `/run/libvirt/qemu/${NAME}.pid`])).trim()}`);
  });

  it('a shut-off VM has its definition and no uptime', { timeout: 60_000 }, async () => {
    const name = `vd-details-off-${tag}`;
    const libvirt = lab.app.services.hosts.get(hostId).libvirt();
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]);
    await defineXml(libvirt, 'domain', domainXml(false).replace(`<name>${NAME}</name>`, `<name>${name}</name>`).replace(/<mac address='[^']+'\/>/g, ''));
    const details = VmDetailsInfo.parse(await lab.app.registry.call('vm.details', { hostId, name }));
    expect(details.active).toBe(false);
    expect(details.memory).toEqual({ currentKiB: 160 * 1024, maxKiB: 192 * 1024 });
    expect(details.uptime).toBeUndefined();
    expect(details.uptimeUnavailable).toBeUndefined();
    expect(details.disks.map((disk) => disk.target)).toEqual(['vda', 'sda', 'sdb']);
    expect(details.nics.every((nic) => /^52:54:00:/.test(nic.mac) && nic.hostDevice === undefined)).toBe(true);
  });

  it('a VM that does not exist is not-found', async () => {
    await expect(lab.app.registry.call('vm.details', { hostId, name: `vd-missing-${tag}` })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('vm.addresses', () => {
  it('gives the DHCP lease of the guest, and the missing agent quietly', { timeout: 240_000 }, async () => {
    // The guest boots (TCG is slow), loads its NIC driver and asks dnsmasq for a lease.
    const addresses = await waitFor(
      'a DHCP lease for the guest',
      async () => {
        const result = VmAddresses.parse(await lab.app.registry.call('vm.addresses', { hostId, name: NAME }));
        return result.addresses.some((address) => address.source === 'lease' && address.mac === MAC1) ? result : undefined;
      },
      200_000,
      2_000,
    );
    const leases = await virsh('net-dhcp-leases', '--network', 'default', '--mac', MAC1);
    const leased = /ipv4\s+([\d.]+)\/(\d+)/.exec(leases);
    expect(leased).not.toBeNull();
    const lease = addresses.addresses.find((address) => address.source === 'lease' && address.mac === MAC1);
    expect(lease).toMatchObject({ protocol: 'ipv4', address: leased?.[1], prefix: Number(leased?.[2]) });
    expect(lease?.interfaceName).toMatch(/^vnet\d+$/);
    // The second NIC's link is down: nothing from it.
    expect(addresses.addresses.some((address) => address.mac === MAC2)).toBe(false);

    expect(addresses.sources.find((source) => source.source === 'lease')).toEqual({ source: 'lease', status: 'ok' });
    // ARP: whatever libvirt answers is passed on as it is, with its message when it fails.
    const arpSource = addresses.sources.find((source) => source.source === 'arp');
    const arpDirect = await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'domifaddr', '--domain', NAME, '--source', 'arp']);
    if (arpDirect.code === 0) {
      expect(arpSource).toEqual({ source: 'arp', status: 'ok' });
      const arp = addresses.addresses.filter((address) => address.source === 'arp');
      if (/ipv4/.test(arpDirect.stdout)) expect(arp.map((address) => address.address)).toContain(leased?.[1]);
    } else {
      expect(arpSource?.status).toBe('failed');
      expect(arpSource?.message).toBe(virshErrorMessage(arpDirect.stderr));
    }
    console.log(`vmDetails: arp source ${arpSource?.status}${arpSource?.message ? `: ${arpSource.message}` : ''}`);
    const agent = addresses.sources.find((source) => source.source === 'agent');
    expect(agent?.status).toBe('unavailable');
    expect(agent?.message).toMatch(/agent/i);
    console.log(`vmDetails: lease ${lease?.address} on ${lease?.interfaceName}; agent: ${agent?.message}`);
  });
});

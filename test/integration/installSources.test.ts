// The wizard's host-side install sources on a lab host's real libvirtd: a PXE-ready NAT network
// made by createPxeNetwork from a TFTP folder put on the host through the file primitive, and a
// guest with <boot dev='network'/> on it that PXE-boots (DHCP, pxelinux over TFTP, kernel and
// initrd from the same folder) to the mini guest's ready line on its serial console; a
// cloud-init seed volume built on the host, read back with xorriso on the host (label cidata,
// hostname/user/key and a $6$ hash, never the password), then removed; and each refusal
// (missing TFTP folder, no boot file for the firmware, bad seed input) changes nothing.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putFile } from '../../main/connection/hostFiles.js';
import { createSeedVolume, removeSeedVolume, type SeedInput } from '../../main/install/cloudInit.js';
import { createPxeNetwork, networkServesPxe } from '../../main/install/pxe.js';
import { installSourceErrorOf } from '../../main/install/sourceErrors.js';
import type { LibvirtHost } from '../../main/libvirt/libvirtHost.js';
import { labExec, MINI_READY, readLabHost } from '../lab/index.js';
import { putTftpRoot } from '../lab/installTree.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab2';
const tag = randomBytes(3).toString('hex');
const TFTP = `/var/tmp/vd-tftp-${tag}`;
const NET = `vd-pxe-${tag}`;
const GUEST = `vd-pxeboot-${tag}`;
const SERIAL_LOG = `/var/log/libvirt/qemu/${GUEST}-serial.log`;
const POOL = `vd-seed-${tag}`;
const POOL_DIR = `/var/tmp/vd-seed-pool-${tag}`;
const PASSWORD = `pw-${tag}-never-in-plaintext`;
const KEY = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'k'.repeat(43)} vd-${tag}@lab`;
const SEED: SeedInput = { hostname: `vd-cloud-${tag}`, user: 'deploy', password: PASSWORD, sshKeys: [KEY] };

let lab: LabApp;
let libvirt: LibvirtHost;
const cleanup: string[][] = [];
const started = Date.now();

async function sh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, argv);
  if (result.code !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}
const virsh = (...argv: string[]) => sh('virsh', '-c', 'qemu:///system', ...argv);

async function refusal(work: Promise<unknown>): Promise<ReturnType<typeof installSourceErrorOf>> {
  try {
    await work;
  } catch (error) {
    return installSourceErrorOf(error) ?? { reason: 'bad-url', params: { unexpected: String(error) } };
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  lab = await startLabApp();
  const hostId = await lab.addHost(HOST);
  libvirt = lab.app.services.hosts.get(hostId).libvirt() as LibvirtHost;
  cleanup.push(['rm', '-rf', TFTP, POOL_DIR]);
  await putTftpRoot(libvirt.runner, TFTP, 'mini');
  await sh('mkdir', '-p', POOL_DIR);
  cleanup.unshift(['virsh', '-c', 'qemu:///system', 'pool-destroy', POOL]);
  await virsh('pool-create-as', POOL, 'dir', '--target', POOL_DIR);
}, 120_000);

afterAll(async () => {
  for (const argv of cleanup) await labExec(HOST, argv).catch(() => undefined);
  await lab?.close();
  console.log(`installSources: ${((Date.now() - started) / 1000).toFixed(1)} s wall time`);
});

describe('refusals change nothing', () => {
  it('a missing TFTP folder, no boot file for UEFI, a bad seed', { timeout: 60_000 }, async () => {
    const networks = await virsh('net-list', '--all', '--name');
    const volumes = await virsh('vol-list', '--pool', POOL);
    expect(await refusal(createPxeNetwork(libvirt, { name: NET, tftpRoot: `${TFTP}-missing`, firmware: 'bios' }))).toEqual({ reason: 'tftp-root-missing', params: { path: `${TFTP}-missing` } });
    const noEfi = await refusal(createPxeNetwork(libvirt, { name: NET, tftpRoot: TFTP, firmware: 'uefi' }));
    expect(noEfi?.reason).toBe('no-boot-file');
    expect(noEfi?.params.looked).toContain('bootnetx64.efi');
    expect(await virsh('net-list', '--all', '--name')).toBe(networks);

    expect(await refusal(createSeedVolume(libvirt, { pool: POOL, name: 'bad-seed.iso', input: { ...SEED, user: 'Not A User' } }))).toEqual({ reason: 'bad-seed', params: { field: 'user' } });
    expect(await virsh('vol-list', '--pool', POOL)).toBe(volumes);
  });
});

describe('PXE', () => {
  it('creates a PXE-ready NAT network from the TFTP folder; a guest boots from it', { timeout: 420_000 }, async () => {
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'net-undefine', '--network', NET]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'net-destroy', '--network', NET]);
    const created = await createPxeNetwork(libvirt, { name: NET, tftpRoot: TFTP, firmware: 'bios' });
    expect(created.bootFile).toBe('pxelinux.0');
    const xml = await virsh('net-dumpxml', '--network', NET);
    expect(xml).toMatch(new RegExp(`<tftp root=["']${TFTP}["']`));
    expect(xml).toMatch(/<bootp file=["']pxelinux\.0["']/);
    expect(networkServesPxe(xml)).toBe(true);
    expect(await virsh('net-info', '--network', NET)).toMatch(/Active:\s+yes/);

    const kvm = (await readLabHost(HOST)).kvm;
    const domain = `<domain type='${kvm ? 'kvm' : 'qemu'}'><name>${GUEST}</name><memory unit='MiB'>256</memory><vcpu>1</vcpu>
      <os><type arch='x86_64'>hvm</type><boot dev='network'/></os><on_poweroff>destroy</on_poweroff><on_crash>destroy</on_crash>
      <devices><interface type='network'><source network='${NET}'/><model type='virtio'/></interface>
      <serial type='pty'><log file='${SERIAL_LOG}' append='off'/><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console>
      <memballoon model='none'/></devices></domain>`;
    const file = `${TFTP}.xml`;
    await putFile(libvirt.runner, file, Buffer.from(domain), { size: Buffer.byteLength(domain), mode: 0o644 });
    cleanup.unshift(['rm', '-f', file, SERIAL_LOG]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'undefine', '--domain', GUEST]);
    cleanup.unshift(['virsh', '-c', 'qemu:///system', 'destroy', '--domain', GUEST]);
    await virsh('define', '--file', file);
    const boot = Date.now();
    await virsh('start', '--domain', GUEST);
    await expect
      .poll(async () => (await labExec(HOST, ['cat', SERIAL_LOG])).stdout, { timeout: 360_000, interval: 2_000 })
      .toContain(MINI_READY);
    console.log(`installSources: PXE boot to the ready line took ${((Date.now() - boot) / 1000).toFixed(1)} s under ${kvm ? 'KVM' : 'TCG'}`);
    await virsh('destroy', '--domain', GUEST);
  });
});

describe('cloud-init seed', () => {
  it('is an ISO labelled cidata in the pool with the user, key and a $6$ hash; removed again', { timeout: 120_000 }, async () => {
    const name = `${GUEST}-seed.iso`;
    const { path } = await createSeedVolume(libvirt, { pool: POOL, name, input: SEED });
    expect(path).toBe(`${POOL_DIR}/${name}`);
    expect(await sh('sh', '-c', 'xorriso -indev "$1" -pvd_info 2>/dev/null', 'sh', path)).toMatch(/Volume Id\s*:\s*cidata/);
    const out = `/var/tmp/vd-seed-read-${tag}`;
    cleanup.unshift(['rm', '-rf', out]);
    await sh('xorriso', '-osirrox', 'on', '-indev', path, '-extract', '/', out);
    const userData = await sh('cat', `${out}/user-data`);
    const metaData = await sh('cat', `${out}/meta-data`);
    expect(userData.startsWith('#cloud-config')).toBe(true);
    expect(userData).toContain(`hostname: ${SEED.hostname}`);
    expect(userData).toContain('name: deploy');
    expect(userData).toContain(KEY);
    expect(userData).toMatch(/passwd: \$6\$/);
    expect(metaData).toContain(`local-hostname: ${SEED.hostname}`);
    // The password went nowhere: not in the seed, not in a scratch file left on the host.
    expect(userData).not.toContain(PASSWORD);
    expect(await sh('sh', '-c', 'ls -d /tmp/virtdeck-*-seed 2>/dev/null || true')).toBe('');
    expect((await labExec(HOST, ['grep', '-rl', PASSWORD, POOL_DIR, '/tmp'])).stdout).toBe('');

    await removeSeedVolume(libvirt, POOL, name);
    expect(await virsh('vol-list', '--pool', POOL)).not.toContain(name);
  });
});

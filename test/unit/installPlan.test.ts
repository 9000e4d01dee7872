import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDomainDefinitions, type DomainPlan, type PlanBootSource, type PlanDomainType } from '../../main/install/domainPlan.js';
import { findOs, mergeOsLists, OS_CATALOG, osDefaults, parseOsinfoDetect, parseOsinfoQuery } from '../../main/install/osCatalog.js';
import { planProblems, vcpusAboveHostThreads } from '../../main/install/planProblems.js';
import { DOMAIN, DomainDocument } from '../../main/libvirt/xml/domainDocument.js';

const folder = mkdtempSync(join(tmpdir(), 'vd-plan-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** libvirt's own schema check; throws with its message when the XML does not validate. */
function validate(xml: string, label: string): void {
  const file = join(folder, `${label}.xml`);
  writeFileSync(file, xml);
  execFileSync('virt-xml-validate', [file, 'domain'], { stdio: 'pipe' });
}

const ISO: PlanBootSource = { kind: 'cdrom', iso: { type: 'volume', pool: 'isos', volume: 'debian.iso' } };
const KERNEL: PlanBootSource = { kind: 'kernel', kernel: '/var/lib/libvirt/boot/linux', initrd: '/var/lib/libvirt/boot/initrd.gz', cmdline: 'console=ttyS0' };

function plan(domainType: PlanDomainType, boot: PlanBootSource, changes: Partial<DomainPlan> = {}): DomainPlan {
  return {
    name: 'new-vm',
    domainType,
    arch: 'x86_64',
    machine: domainType === 'kvm' || domainType === 'qemu' ? 'q35' : undefined,
    memoryMiB: 1024,
    vcpus: 2,
    firmware: 'bios',
    osId: 'http://debian.org/debian/12',
    disks: [{ source: { type: 'volume', pool: 'default', volume: 'new-vm.qcow2' }, format: 'qcow2', bus: domainType === 'xen' ? 'xen' : 'virtio' }],
    nics: [{ source: { type: 'network', network: 'default' }, model: domainType === 'xen' ? 'netfront' : 'virtio' }],
    boot,
    ...changes,
  };
}

const CASES: [string, DomainPlan][] = [
  ['kvm-iso', plan('kvm', ISO)],
  ['kvm-iso-uefi', plan('kvm', ISO, { firmware: 'uefi', cpuMode: 'host-passthrough' })],
  ['kvm-kernel', plan('kvm', KERNEL)],
  ['kvm-network', plan('kvm', { kind: 'network' }, { nics: [{ source: { type: 'bridge', bridge: 'br0' }, model: 'virtio' }] })],
  ['kvm-import', plan('kvm', { kind: 'disk' }, { disks: [{ source: { type: 'file', file: '/srv/disk.qcow2' }, format: 'qcow2', bus: 'sata' }] })],
  ['qemu-iso', plan('qemu', ISO, { nics: [{ source: { type: 'direct', dev: 'eth0', mode: 'bridge' }, model: 'e1000e' }] })],
  ['qemu-kernel', plan('qemu', KERNEL, { disks: [], nics: [] })],
  ['qemu-network', plan('qemu', { kind: 'network' })],
  ['qemu-import', plan('qemu', { kind: 'disk' })],
  ['xen-hvm-iso', plan('xen', ISO)],
  ['xen-hvm-import', plan('xen', { kind: 'disk' })],
  ['xen-pv', plan('xen', { kind: 'xenpv', kernel: '/var/lib/xen/vmlinuz', initrd: '/var/lib/xen/initrd', cmdline: 'console=hvc0' })],
  ['lxc', plan('lxc', { kind: 'lxc', init: '/bin/sh', mounts: [{ source: '/srv/root', target: '/' }, { source: '/srv/data', target: '/data', readonly: true }] }, { disks: [], nics: [{ source: { type: 'network', network: 'default' } }] })],
];

describe('install plan → domain XML', () => {
  it.each(CASES)('%s: both definitions pass libvirt\'s schema', (label, domainPlan) => {
    const { install, final } = buildDomainDefinitions(domainPlan);
    validate(install, `${label}-install`);
    validate(final, `${label}-final`);
  });

  it('the schema check can fail: an element libvirt does not know is refused', () => {
    expect(() => validate("<domain type='kvm'><name>x</name><bogus/></domain>", 'invalid')).toThrow();
  });

  it('ISO: the install boots the CD-ROM and stops on reboot; the final boots the disk with the drive emptied', () => {
    const defs = buildDomainDefinitions(plan('kvm', ISO));
    expect(defs.hasInstallPhase).toBe(true);
    const install = DomainDocument.parse(defs.install);
    expect(install.get(DOMAIN.onReboot)).toBe('destroy');
    expect(defs.install).toMatch(/<boot dev=.cdrom.\/>\s*<boot dev=.hd.\/>/);
    expect(defs.install).toContain('volume=\'debian.iso\'');
    const final = DomainDocument.parse(defs.final);
    expect(final.get(DOMAIN.onReboot)).toBeUndefined();
    expect(defs.final).not.toContain('debian.iso');
    expect(final.devices('disk').map((disk) => disk.getAttribute('device'))).toEqual(['disk', 'cdrom']);
    expect(defs.final).toMatch(/<os>\s*<type[^>]*>hvm<\/type>\s*<boot dev=.hd.\/>\s*<\/os>/);
  });

  it('direct kernel boot: kernel, initrd and cmdline only in the install definition', () => {
    const defs = buildDomainDefinitions(plan('qemu', KERNEL));
    const install = DomainDocument.parse(defs.install);
    expect(install.get(DOMAIN.osKernel)).toBe('/var/lib/libvirt/boot/linux');
    expect(install.get(DOMAIN.osInitrd)).toBe('/var/lib/libvirt/boot/initrd.gz');
    expect(install.get(DOMAIN.osCmdline)).toBe('console=ttyS0');
    expect(defs.install).not.toContain('<boot dev=');
    const final = DomainDocument.parse(defs.final);
    expect(final.get(DOMAIN.osKernel)).toBeUndefined();
    expect(final.get(DOMAIN.osInitrd)).toBeUndefined();
  });

  it('PXE boots network then disk; UEFI is firmware=efi in both phases', () => {
    const defs = buildDomainDefinitions(plan('kvm', { kind: 'network' }, { firmware: 'uefi' }));
    expect(defs.install).toMatch(/<boot dev=.network.\/>\s*<boot dev=.hd.\/>/);
    expect(DomainDocument.parse(defs.install).get(DOMAIN.firmware)).toBe('efi');
    expect(DomainDocument.parse(defs.final).get(DOMAIN.firmware)).toBe('efi');
  });

  it('import and LXC have no install phase', () => {
    for (const domainPlan of [plan('kvm', { kind: 'disk' }), CASES.find(([label]) => label === 'lxc')![1]]) {
      const defs = buildDomainDefinitions(domainPlan);
      expect(defs.hasInstallPhase).toBe(false);
      expect(defs.install).toBe(defs.final);
    }
    const lxc = buildDomainDefinitions(CASES.find(([label]) => label === 'lxc')![1]);
    expect(lxc.final).toContain('<init>/bin/sh</init>');
    expect(lxc.final).toContain("<target dir='/data'/>");
  });

  it('Xen PV installs from its kernel and boots through pygrub afterwards', () => {
    const defs = buildDomainDefinitions(CASES.find(([label]) => label === 'xen-pv')![1]);
    expect(defs.install).toContain('>xen</type>');
    expect(defs.install).toContain('<kernel>/var/lib/xen/vmlinuz</kernel>');
    expect(defs.final).toContain('<bootloader>/usr/lib/xen/bin/pygrub</bootloader>');
    expect(defs.final).not.toContain('<kernel>');
  });

  it('hostile names and paths are escaped as XML, not spliced into it', () => {
    const defs = buildDomainDefinitions(plan('kvm', { kind: 'kernel', kernel: "/tmp/a'b\"<c>&", initrd: '/tmp/i', cmdline: 'ks=http://x/?a=1&b=2' }, { name: 'x<y>&"z' }));
    validate(defs.install, 'hostile');
    const install = DomainDocument.parse(defs.install);
    expect(install.get(DOMAIN.osKernel)).toBe("/tmp/a'b\"<c>&");
    expect(install.get(DOMAIN.osCmdline)).toBe('ks=http://x/?a=1&b=2');
  });
});

describe('OS catalog', () => {
  it('ships the promised systems, each with defaults', () => {
    for (const shortId of ['debian10', 'debian11', 'debian12', 'debian13', 'ubuntu22.04', 'ubuntu24.04', 'fedora41', 'rhel8.10', 'rhel9.4', 'rocky8', 'rocky9', 'almalinux8', 'almalinux9', 'opensuse15.6', 'win10', 'win11', 'win2k22', 'linux2022', 'unknown']) {
      expect(findOs(shortId), shortId).toBeDefined();
    }
    expect(new Set(OS_CATALOG.map((entry) => entry.id)).size).toBe(OS_CATALOG.length);
  });

  it('Linux gets virtio disk and NIC; Windows SATA, e1000e and UEFI (11)', () => {
    expect(osDefaults('http://debian.org/debian/12')).toMatchObject({ diskBus: 'virtio', nicModel: 'virtio' });
    expect(osDefaults('http://microsoft.com/win/11')).toMatchObject({ diskBus: 'sata', nicModel: 'e1000e', firmware: 'uefi' });
    expect(osDefaults('http://centos.org/centos/7.0')).toMatchObject({ diskBus: 'virtio' });
    expect(osDefaults(undefined).vcpus).toBe(1);
  });

  it('reads osinfo-detect output, and nothing found is nothing (its exit status lies)', () => {
    expect(parseOsinfoDetect('OSINFO_INSTALLER=http://debian.org/debian/11\nOSINFO_MEDIA=http://debian.org/debian/11:0\n')).toEqual({ osId: 'http://debian.org/debian/11' });
    expect(parseOsinfoDetect('OSINFO_TREE=http://fedoraproject.org/fedora/36\nOSINFO_TREE_KERNEL=images/pxeboot/vmlinuz\nOSINFO_TREE_INITRD=images/pxeboot/initrd.img\n'))
      .toEqual({ osId: 'http://fedoraproject.org/fedora/36', treeKernel: 'images/pxeboot/vmlinuz', treeInitrd: 'images/pxeboot/initrd.img' });
    expect(parseOsinfoDetect('Media is not bootable.\n')).toEqual({});
  });

  it('reads osinfo-query os and adds only what the app does not ship', () => {
    const rows = parseOsinfoQuery(
      [' Short ID             | Name                         | Version  | ID                                ',
        '----------------------+------------------------------+----------+-----------------------------------',
        ' debian12             | Debian 12                    | 12       | http://debian.org/debian/12       ',
        ' centos7.0            | CentOS 7                     | 7        | http://centos.org/centos/7.0      ',
      ].join('\n'),
    );
    expect(rows).toEqual([
      { shortId: 'debian12', name: 'Debian 12', version: '12', id: 'http://debian.org/debian/12' },
      { shortId: 'centos7.0', name: 'CentOS 7', version: '7', id: 'http://centos.org/centos/7.0' },
    ]);
    const merged = mergeOsLists(rows);
    expect(merged.length).toBe(OS_CATALOG.length + 1);
    expect(merged.at(-1)).toMatchObject({ shortId: 'centos7.0', family: 'linux' });
  });
});

describe('plan checks before anything is created', () => {
  const host = { domainNames: ['web1'], hostMemoryMiB: 4096, uefiAvailable: false };
  const base = plan('kvm', ISO);

  it('a good plan has no problems', () => {
    expect(planProblems(base, host, { sizeBytes: 1e9, poolFreeBytes: 2e9 })).toEqual([]);
  });

  it('each bad input is reported on its own page', () => {
    expect(planProblems({ ...base, name: ' ' }, host)).toEqual([{ page: 'name', key: 'nameEmpty' }]);
    expect(planProblems({ ...base, name: 'a/b' }, host)).toEqual([{ page: 'name', key: 'nameInvalid' }]);
    expect(planProblems({ ...base, name: 'web1' }, host)).toEqual([{ page: 'name', key: 'nameTaken', params: { name: 'web1' } }]);
    expect(planProblems({ ...base, memoryMiB: 8192 }, host)).toEqual([{ page: 'resources', key: 'memoryBeyondHost', params: { host: 4096 } }]);
    expect(planProblems({ ...base, firmware: 'uefi' }, host)).toEqual([{ page: 'resources', key: 'uefiMissing' }]);
    expect(planProblems({ ...base, vcpus: 0 }, host)).toEqual([{ page: 'resources', key: 'vcpusTooFew' }]);
    expect(planProblems(base, host, { sizeBytes: 3e9, poolFreeBytes: 2e9 })).toEqual([{ page: 'storage', key: 'diskBeyondPool', params: { free: 2e9 } }]);
    expect(vcpusAboveHostThreads(4, 2)).toBe(true);
    expect(vcpusAboveHostThreads(2, 2)).toBe(false);
  });
});

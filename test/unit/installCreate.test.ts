// Pure parts of the wizard's create: spec → plan (OS defaults, sources, storage, NICs), the
// preview's problems and warnings per page, undo in reverse, the host facts parsers, the ISO
// signature, and when the watcher decides an install phase has ended.
import { describe, expect, it } from 'vitest';
import type { WizardSpec } from '../../preload/contract.js';
import { specProblems, specToPlan, startProblems, UndoLog, type PreviewFacts } from '../../main/install/createVm.js';
import { buildDomainDefinitions } from '../../main/install/domainPlan.js';
import { isIso9660, parseFreecell, parseGuestTypes, parseTools, pickIsoKernel, ISO_SIGNATURE_OFFSET } from '../../main/install/installHost.js';
import { installEnded } from '../../main/install/installWatcher.js';

const base: WizardSpec = {
  name: 'web1',
  domainType: 'kvm',
  arch: 'x86_64',
  osId: 'http://microsoft.com/win/11',
  memoryMiB: 0,
  vcpus: 0,
  firmware: 'bios',
  source: { kind: 'url', url: 'http://mirror/debian/', kernelArgs: ' console=ttyS0 ' },
  storage: { kind: 'new', pool: 'default', sizeGiB: 10, format: 'qcow2', sparse: true },
  diskBus: 'virtio',
  network: { kind: 'network', name: 'default' },
};

const facts: PreviewFacts = {
  domainNames: ['taken'],
  hostMemoryMiB: 8192,
  uefiAvailable: false,
  hostThreads: 2,
  kvmUsable: true,
  pools: [{ name: 'default', freeBytes: 5 * 2 ** 30, active: true }],
  networks: [{ name: 'default', active: true, pxe: false }],
};

describe('specToPlan', () => {
  it('fills what the spec leaves open from the OS defaults and maps the URL source to a kernel boot', () => {
    const plan = specToPlan(base);
    expect(plan.memoryMiB).toBe(4096);
    expect(plan.vcpus).toBe(2);
    expect(plan.nics).toEqual([{ source: { type: 'network', network: 'default' }, model: 'e1000e' }]);
    expect(plan.disks).toEqual([{ source: { type: 'volume', pool: 'default', volume: 'web1.qcow2' }, format: 'qcow2', bus: 'virtio' }]);
    expect(plan.boot).toEqual({ kind: 'kernel', kernel: '/var/lib/libvirt/boot/web1-kernel', initrd: '/var/lib/libvirt/boot/web1-initrd', cmdline: 'console=ttyS0' });
    const definitions = buildDomainDefinitions(plan);
    expect(definitions.hasInstallPhase).toBe(true);
    expect(definitions.final).not.toContain('<kernel>');
  });

  it('an import has no install phase and keeps the user’s disk path; a cloud image gets an overlay and a seed CD-ROM', () => {
    const imported = specToPlan({ ...base, source: { kind: 'import', path: '/srv/disk.qcow2' }, storage: { kind: 'none' } });
    expect(imported.boot).toEqual({ kind: 'disk' });
    expect(imported.disks[0]?.source).toEqual({ type: 'file', file: '/srv/disk.qcow2' });
    const cloud = specToPlan({ ...base, source: { kind: 'cloud', base: { pool: 'images', volume: 'deb.qcow2' }, cloudInit: { hostname: 'h', user: 'u', sshKeys: [] } } });
    expect(cloud.disks[0]?.source).toEqual({ type: 'volume', pool: 'images', volume: 'web1.qcow2' });
    expect(cloud.boot).toEqual({ kind: 'cdrom', iso: { type: 'volume', pool: 'images', volume: 'web1-seed.iso' } });
  });
});

describe('specProblems', () => {
  it('puts each refusal on its page and only advises for warnings', () => {
    const { problems, warnings } = specProblems(
      { ...base, name: 'taken', memoryMiB: 9000, vcpus: 4, domainType: 'qemu', source: { kind: 'pxe' }, storage: { kind: 'new', pool: 'gone', sizeGiB: 1, format: 'raw', sparse: false } },
      facts,
    );
    expect(problems).toEqual([
      { page: 'storage', key: 'poolMissing', params: { pool: 'gone' } },
      { page: 'name', key: 'nameTaken', params: { name: 'taken' } },
      { page: 'resources', key: 'memoryBeyondHost', params: { host: 8192 } },
    ]);
    expect(warnings.map((warning) => warning.key)).toEqual(['networkNoPxe', 'vcpusAboveHost', 'softwareEmulation']);
  });

  it('a preallocated disk beyond the pool is refused; a good spec has none', () => {
    expect(specProblems({ ...base, storage: { kind: 'new', pool: 'default', sizeGiB: 6, format: 'raw', sparse: false } }, facts).problems).toEqual([
      { page: 'storage', key: 'diskBeyondPool', params: { free: 5 * 2 ** 30 } },
    ]);
    expect(specProblems(base, facts).problems).toEqual([]);
  });
});

describe('UndoLog', () => {
  it('undoes last first, and goes on past a failing undo', async () => {
    const log = new UndoLog();
    const done: string[] = [];
    log.add({ step: 'boot-files', what: 'kernel', undo: async () => void done.push('kernel') });
    log.add({ step: 'volume', what: 'disk', undo: async () => Promise.reject(new Error('busy')) });
    log.add({ step: 'define', what: 'domain', undo: async () => void done.push('domain') });
    const reported: string[] = [];
    await log.undoAll((record, error) => reported.push(`${record.what}:${error ? 'failed' : 'ok'}`));
    expect(done).toEqual(['domain', 'kernel']);
    expect(reported).toEqual(['domain:ok', 'disk:failed', 'kernel:ok']);
    expect(log.size).toBe(0);
  });
});

describe('host facts', () => {
  it('reads guest types with machines (kvm first), freecell, tools', () => {
    const caps = `<capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'><machine>pc-q35-7.2</machine><machine canonical='pc-q35-7.2'>q35</machine>
      <domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>`;
    expect(parseGuestTypes(caps)).toEqual([
      { type: 'kvm', arch: 'x86_64', machines: ['pc-q35-7.2', 'q35'] },
      { type: 'qemu', arch: 'x86_64', machines: ['pc-q35-7.2', 'q35'] },
    ]);
    // The host's own architecture first within a type (libvirt lists i686 before x86_64).
    const twoArches = `<capabilities><host><cpu><arch>x86_64</arch></cpu></host>
      <guest><os_type>hvm</os_type><arch name='i686'><machine>pc</machine><domain type='qemu'/></arch></guest>
      <guest><os_type>hvm</os_type><arch name='x86_64'><machine>pc</machine><domain type='qemu'/></arch></guest></capabilities>`;
    expect(parseGuestTypes(twoArches).map((entry) => entry.arch)).toEqual(['x86_64', 'i686']);
    expect(parseFreecell('    0:    1234 KiB\n    1:    1000 KiB\n--------------------\nTotal:    2234 KiB\n')).toBe(2234);
    expect(parseTools('wget\nxorriso\ngenisoimage\n')).toEqual({ fetch: 'wget', xorriso: true, osinfo: false, osinfoQuery: false, seedBuilder: 'xorriso' });
  });

  it('knows an ISO9660 image by CD001 and picks an installer kernel pair', () => {
    const image = Buffer.alloc(ISO_SIGNATURE_OFFSET + 5);
    expect(isIso9660(image)).toBe(false);
    image.write('CD001', ISO_SIGNATURE_OFFSET, 'latin1');
    expect(isIso9660(image)).toBe(true);
    expect(pickIsoKernel(['/install.amd/vmlinuz', '/casper/vmlinuz', '/casper/initrd'])).toEqual({ kernel: '/casper/vmlinuz', initrd: '/casper/initrd' });
  });
});

describe('installEnded', () => {
  it('only a guest seen running that is now off ends the install phase', () => {
    expect(installEnded(true, 'shutoff')).toBe(true);
    expect(installEnded(false, 'shutoff')).toBe(false);
    expect(installEnded(true, 'running')).toBe(false);
  });
});

describe('startProblems', () => {
  it('refuses start:false for install-phase sources only', () => {
    expect(startProblems(base, true)).toEqual([]);
    expect(startProblems({ ...base, source: { kind: 'pxe' } }, false)).toEqual([{ page: 'name', key: 'installNeedsStart' }]);
    expect(startProblems({ ...base, source: { kind: 'cloud', base: { pool: 'images', volume: 'deb.qcow2' }, cloudInit: { hostname: 'h', user: 'u', sshKeys: [] } } }, false)).toHaveLength(1);
    expect(startProblems({ ...base, source: { kind: 'import', path: '/srv/disk.qcow2' }, storage: { kind: 'none' } }, false)).toEqual([]);
  });
});

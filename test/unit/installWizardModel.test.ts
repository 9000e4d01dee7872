import { describe, expect, it } from 'vitest';
import { WizardSpec, type InstallHostFacts, type OsChoice } from '../../preload/contract.js';
import { applyOsDefaults, freeName, initialForm, loadRemembered, localGaps, pageOfProblem, saveRemembered, sourceKindsFor, specOf, touch, uploadNameProblem } from '../../renderer/src/components/install/wizardModel.js';
import { hostOfNodeKey, requestVmSection, takeVmSection } from '../../renderer/src/components/install/requestedSection.js';

const facts: InstallHostFacts = {
  domainTypes: [
    { type: 'kvm', arch: 'x86_64', machines: ['pc'] },
    { type: 'qemu', arch: 'x86_64', machines: ['pc'] },
  ],
  kvmUsable: false,
  hostMemoryMiB: 4096,
  freeMemoryMiB: 2048,
  hostThreads: 2,
  uefiAvailable: false,
  pools: [
    { name: 'images', type: 'dir', path: '/srv/images', freeBytes: 10 * 1024 ** 3, active: true },
    { name: 'default', type: 'dir', path: '/var/lib/libvirt/images', freeBytes: 20 * 1024 ** 3, active: true },
  ],
  networks: [{ name: 'default', active: true, forward: 'nat', dhcp: true, pxe: false }],
  bridges: [],
  devices: ['eth0'],
  domainNames: ['vm1'],
  tools: { fetch: 'curl', xorriso: true, osinfo: false, seedBuilder: null },
};

const debian: OsChoice = {
  id: 'http://debian.org/debian/12',
  shortId: 'debian12',
  name: 'Debian 12',
  family: 'linux',
  defaults: { memoryMiB: 2048, diskGiB: 20, vcpus: 2, diskBus: 'virtio', nicModel: 'virtio', firmware: 'uefi' },
  origin: 'app',
};

function memoryStorage() {
  const data = new Map<string, string>();
  return { getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
}

describe('new VM wizard model', () => {
  it('starts from the host: qemu without usable KVM, the default pool and network, a free name', () => {
    const form = initialForm(facts, {});
    expect(form.domainType).toBe('qemu');
    expect(form.pool).toBe('default');
    expect(form.network).toBe('default');
    expect(form.name).toBe('vm2');
    expect(freeName(['vm1', 'vm2'])).toBe('vm3');
  });

  it('offers cloud images only where the host can build a seed', () => {
    expect(sourceKindsFor(facts)).not.toContain('cloud');
    expect(sourceKindsFor({ ...facts, tools: { ...facts.tools, seedBuilder: 'xorriso' } })).toContain('cloud');
    expect(sourceKindsFor({ ...facts, domainTypes: [{ type: 'lxc', arch: 'x86_64', machines: [] }] })).toEqual([]);
  });

  it('applies the OS defaults but keeps what the user changed, and UEFI only where the host has it', () => {
    const edited = touch(initialForm(facts, {}), 'memoryMiB', 768);
    const withOs = applyOsDefaults(edited, debian, false);
    expect(withOs.memoryMiB).toBe(768);
    expect(withOs.vcpus).toBe(2);
    expect(withOs.diskGiB).toBe(20);
    expect(withOs.firmware).toBe('bios');
    expect(applyOsDefaults(initialForm(facts, {}), debian, true).firmware).toBe('uefi');
  });

  it('builds a spec the contract accepts for every source', () => {
    const base = initialForm(facts, {});
    const forms = [
      { ...base, sourceKind: 'iso' as const, isoPath: '/srv/images/a.iso' },
      { ...base, sourceKind: 'url' as const, url: 'http://10.0.0.1/debian/', kernelArgs: 'console=ttyS0' },
      { ...base, sourceKind: 'pxe' as const },
      { ...base, sourceKind: 'import' as const, importPath: '/srv/images/disk.qcow2', importConvert: true },
      { ...base, sourceKind: 'cloud' as const, cloudVolume: 'cloud.qcow2', cloudUser: 'debian', cloudKeys: 'ssh-ed25519 AAAA a\n\n' },
    ];
    for (const form of forms) expect(() => WizardSpec.parse(specOf(form))).not.toThrow();
    expect(specOf(forms[3]!).storage).toEqual({ kind: 'none' });
    expect(specOf(forms[3]!).source).toMatchObject({ convertTo: { pool: 'default', format: 'qcow2' } });
    const cloud = specOf(forms[4]!).source;
    expect(cloud.kind === 'cloud' && cloud.cloudInit.sshKeys).toEqual(['ssh-ed25519 AAAA a']);
  });

  it('holds a page back while it lacks what it needs', () => {
    const base = initialForm(facts, {});
    expect(localGaps({ ...base, sourceKind: 'iso', isoPath: '' }, 'source')).toEqual(['iso']);
    expect(localGaps({ ...base, sourceKind: 'url', url: ' ' }, 'source')).toEqual(['url']);
    expect(localGaps({ ...base, sourceKind: 'pxe', networkKind: 'none' }, 'network')).toEqual(['network']);
    expect(localGaps({ ...base, sourceKind: 'iso', isoPath: '/a.iso' }, 'source')).toEqual([]);
    expect(pageOfProblem('name')).toBe('summary');
  });

  it('remembers the last choices per host', () => {
    const storage = memoryStorage();
    const form = { ...initialForm(facts, {}), sourceKind: 'url' as const, pool: 'images', memoryMiB: 3000, vcpus: 2, osId: debian.id };
    saveRemembered('host-a', form, storage);
    expect(loadRemembered('host-b', storage)).toEqual({});
    const again = initialForm(facts, loadRemembered('host-a', storage));
    expect(again).toMatchObject({ sourceKind: 'url', pool: 'images', memoryMiB: 3000, vcpus: 2, osId: debian.id, network: 'default' });
    // Remembered memory counts as the user's own: an OS choice does not overwrite it.
    expect(applyOsDefaults(again, debian, false).memoryMiB).toBe(3000);
  });

  it('finds the host of a tree node and hands a requested section over once', () => {
    expect(hostOfNodeKey('vm/ssh%3Aa/web')).toBe('ssh:a');
    expect(hostOfNodeKey('host/lab1')).toBe('lab1');
    expect(hostOfNodeKey('folder/x')).toBeNull();
    expect(hostOfNodeKey(null)).toBeNull();
    requestVmSection('h', 'vm', 'console');
    expect(takeVmSection('h', 'vm')).toBe('console');
    expect(takeVmSection('h', 'vm')).toBeUndefined();
  });

  it('takes the ISO just uploaded under a name for the chosen one, not a taken name', () => {
    const pool = ['boot.iso', 'other.iso'];
    // Before the upload a volume of that name is a clash; so is another volume after it.
    expect(uploadNameProblem('boot.iso', pool, undefined)).toBe('duplicate');
    expect(uploadNameProblem('other.iso', pool, 'boot.iso')).toBe('duplicate');
    // Once this page uploaded boot.iso, the pool listing holding it is no clash.
    expect(uploadNameProblem('boot.iso', pool, 'boot.iso')).toBeUndefined();
    expect(uploadNameProblem('', pool, 'boot.iso')).toBe('empty');
  });
});

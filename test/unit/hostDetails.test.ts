// Host details: capabilities XML captured from real hosts (fixtures/), the verdict on hardware
// virtualization and KVM, and readHostDetails against a real virsh on the test driver.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunner } from '../../main/connection/localRunner.js';
import { assessVirtualization, parseNodeinfoOutput, readHostDetails } from '../../main/libvirt/hostDetails.js';
import { parseCapabilitiesXml, parseDomainCapabilitiesXml } from '../../main/libvirt/models/capabilities.js';
import { VirshSession } from '../../main/libvirt/virshSession.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

let kvmHostXml: string;
let kvmDomainXml: string;
let testDriverXml: string;
beforeAll(async () => {
  kvmHostXml = await fixture('capabilities-qemu-kvm.xml');
  kvmDomainXml = await fixture('domcapabilities-qemu-kvm.xml');
  testDriverXml = await fixture('capabilities-test-driver.xml');
});

describe('capabilities XML', () => {
  it('reads a QEMU/KVM host: CPU, topology, flags, memory and guests', () => {
    const caps = parseCapabilitiesXml(kvmHostXml);
    expect(caps).toMatchObject({
      arch: 'x86_64',
      cpuModel: 'kvm64',
      cpuVendor: 'AMD',
      topology: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 },
      memoryKiB: 5859544,
    });
    expect(caps.cpuFeatures).toEqual(['vme', 'ht', 'pclmuldq', 'ssse3', 'fma', 'pcid']);
    expect(caps.guests).toEqual([
      { osType: 'hvm', arch: 'i686', emulator: '/usr/bin/qemu-system-i386', domainTypes: ['qemu', 'kvm'] },
      { osType: 'hvm', arch: 'x86_64', emulator: '/usr/bin/qemu-system-x86_64', domainTypes: ['qemu', 'kvm'] },
    ]);
  });

  it('reads the test driver: no CPU flags listed, memory from its two NUMA cells', () => {
    const caps = parseCapabilitiesXml(testDriverXml);
    expect(caps.arch).toBe('i686');
    expect(caps.cpuModel).toBeUndefined();
    expect(caps.cpuFeatures).toEqual([]);
    expect(caps.memoryKiB).toBe(2097152 + 4194304);
    expect(caps.guests.map((guest) => [guest.osType, guest.domainTypes])).toEqual([
      ['hvm', ['test']],
      ['xen', ['test']],
    ]);
  });

  it('counts dies into cores per socket', () => {
    const xml = kvmHostXml.replace("sockets='1' dies='1' cores='2'", "sockets='2' dies='2' cores='4'");
    expect(parseCapabilitiesXml(xml).topology).toEqual({ sockets: 2, coresPerSocket: 8, threadsPerCore: 1 });
  });

  it('refuses a document that is not host capabilities', () => {
    expect(() => parseCapabilitiesXml('<domain/>')).toThrow(/not a capabilities/);
  });
});

describe('domain capabilities XML', () => {
  it('reads the virtualization type and the host-model flags, without disabled ones', () => {
    const caps = parseDomainCapabilitiesXml(kvmDomainXml);
    expect(caps).toMatchObject({ domainType: 'kvm', arch: 'x86_64', emulator: '/usr/bin/qemu-system-x86_64' });
    expect(caps.hostModelFeatures).toContain('x2apic');
    expect(caps.hostModelFeatures).not.toContain('pni');
  });
});

describe('hardware virtualization and KVM', () => {
  const withFlag = (flag: string) => kvmHostXml.replace("<feature name='vme'/>", `<feature name='vme'/><feature name='${flag}'/>`);
  const noGuests = () => kvmHostXml.replace(/<guest>[\s\S]*<\/guest>/, '');

  it('KVM usable on the lab host: svm inferred from the AMD vendor, nothing missing', () => {
    const verdict = assessVirtualization('qemu:///system', parseCapabilitiesXml(kvmHostXml), parseDomainCapabilitiesXml(kvmDomainXml));
    expect(verdict).toEqual({ hardwareVirtualization: 'svm', kvmUsable: true, missing: [] });
  });

  it('an Intel host lists vmx; KVM not usable → only KVM is missing', () => {
    const caps = parseCapabilitiesXml(withFlag('vmx').replace('<vendor>AMD</vendor>', '<vendor>Intel</vendor>'));
    expect(assessVirtualization('qemu:///system', caps, undefined)).toEqual({
      hardwareVirtualization: 'vmx',
      kvmUsable: false,
      missing: ['hostMissing.kvm'],
    });
  });

  it('a listed flag wins over the vendor', () => {
    const caps = parseCapabilitiesXml(withFlag('vmx'));
    expect(assessVirtualization('qemu+ssh://root@h/system', caps, undefined).hardwareVirtualization).toBe('vmx');
  });

  it('flags without vmx/svm and no KVM → no hardware virtualization', () => {
    expect(assessVirtualization('qemu:///system', parseCapabilitiesXml(kvmHostXml), undefined)).toEqual({
      hardwareVirtualization: 'none',
      kvmUsable: false,
      missing: ['hostMissing.hardwareVirtualization'],
    });
  });

  it('no QEMU emulator among the guests → QEMU missing (and KVM not claimed missing)', () => {
    const caps = parseCapabilitiesXml(withFlag('svm').replace(/<guest>[\s\S]*<\/guest>/, ''));
    expect(assessVirtualization('qemu:///system', caps, undefined).missing).toEqual(['hostMissing.qemu']);
    expect(assessVirtualization('qemu:///system', parseCapabilitiesXml(noGuests()), undefined).missing).toEqual([
      'hostMissing.qemu',
      'hostMissing.hardwareVirtualization',
    ]);
  });

  it('the test driver misses nothing and cannot tell about hardware virtualization', () => {
    expect(assessVirtualization('test:///default', parseCapabilitiesXml(testDriverXml), undefined)).toEqual({
      hardwareVirtualization: 'unknown',
      kvmUsable: false,
      missing: [],
    });
  });
});

describe('nodeinfo output', () => {
  it('reads counts and memory', () => {
    const info = parseNodeinfoOutput(
      'CPU model:           x86_64\nCPU(s):              2\nCPU frequency:       2596 MHz\nCPU socket(s):       1\n' +
        'Core(s) per socket:  2\nThread(s) per core:  1\nNUMA cell(s):        1\nMemory size:         5859544 KiB\n',
    );
    expect(info).toEqual({ logicalCpus: 2, socketsPerNode: 1, coresPerSocket: 2, threadsPerCore: 1, numaNodes: 1, memoryKiB: 5859544 });
  });
});

describe('readHostDetails (real virsh, test:///default)', () => {
  let session: VirshSession;
  beforeAll(async () => {
    session = await VirshSession.start(localRunner, 'test:///default');
  });
  afterAll(() => session.dispose());

  it('reads the test driver in one batch and finds nothing missing', async () => {
    const details = await readHostDetails(session, 'demo');
    expect(details).toMatchObject({
      hostId: 'demo',
      hardwareVirtualization: 'unknown',
      kvmUsable: false,
      missing: [],
      logicalCpus: 16,
      memoryKiB: 3145728,
      // nodeinfo counts 2 sockets per NUMA node, and there are 2 nodes.
      sockets: 4,
      coresPerSocket: 2,
      threadsPerCore: 2,
      hypervisorType: 'TEST',
    });
    expect(details.libvirtVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(details.hypervisorVersion).toMatch(/^\d+\.\d+/);
  });

  it('leaves the session usable after the failed domcapabilities', async () => {
    expect((await session.runChecked(['uri'])).trim()).toBe('test:///default');
  });
});

import { describe, expect, it } from 'vitest';
import { statusForFailure } from '../../main/libvirt/connectionFailure.js';
import { parseVersionOutput } from '../../main/libvirt/hostFacts.js';
import { parseDomainXml } from '../../main/libvirt/models/domain.js';
import { buildDomainXml } from '../../main/libvirt/models/domainBuilder.js';
import { parseNetworkXml } from '../../main/libvirt/models/network.js';
import { parseStoragePoolXml } from '../../main/libvirt/models/storagePool.js';
import { VirshSessionClosed } from '../../main/libvirt/virshSession.js';

describe('domain XML', () => {
  it('reads name, uuid, vCPUs, current memory and OS', () => {
    const domain = parseDomainXml(`<domain type='kvm' id='3'>
      <name>web &amp; "db" &lt;1&gt;</name><uuid>11111111-2222-3333-4444-555555555555</uuid>
      <memory unit='GiB'>4</memory><currentMemory unit='MiB'>2048</currentMemory>
      <vcpu placement='static'>3</vcpu><os><type arch='aarch64' machine='virt'>hvm</type></os></domain>`);
    expect(domain).toEqual({
      name: 'web & "db" <1>',
      uuid: '11111111-2222-3333-4444-555555555555',
      type: 'kvm',
      vcpus: 3,
      memoryKiB: 2048 * 1024,
      maxMemoryKiB: 4 * 1024 * 1024,
      osType: 'hvm',
      arch: 'aarch64',
      macs: [],
      disks: [],
      nics: [],
    });
  });

  it('round-trips hostile names through the builder', () => {
    for (const name of [`a'b"c<d>&e`, '$(touch pwned)', '中文 🚀', '  spaced  ']) {
      const xml = buildDomainXml({ name, type: 'test', memoryKiB: 1024, vcpus: 1, arch: 'x86_64' });
      expect(parseDomainXml(xml).name).toBe(name);
    }
  });

  it('refuses a document that is not a domain', () => {
    expect(() => parseDomainXml('<network/>')).toThrow(/not a domain/);
  });
});

describe('network XML', () => {
  it('reads bridge, forward mode and the IPv4 prefix from a netmask', () => {
    const network = parseNetworkXml(`<network><name>default</name><uuid>u</uuid><forward mode='nat'/>
      <bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>`);
    expect(network).toEqual({ name: 'default', uuid: 'u', bridge: 'virbr0', forwardMode: 'nat', ipv4: '192.168.122.1/24' });
  });

  it('calls a network without <forward> isolated and skips IPv6', () => {
    const network = parseNetworkXml(`<network><name>iso</name><uuid>u</uuid>
      <ip family='ipv6' address='fd00::1' prefix='64'/><ip address='10.9.0.1' prefix='16'/></network>`);
    expect(network.forwardMode).toBe('isolated');
    expect(network.ipv4).toBe('10.9.0.1/16');
  });
});

describe('storage pool XML', () => {
  it('reads sizes in bytes and the target path', () => {
    const pool = parseStoragePoolXml(`<pool type='dir'><name>images</name><uuid>u</uuid>
      <capacity unit='bytes'>1000</capacity><allocation unit='KiB'>1</allocation><available unit='bytes'>976</available>
      <target><path>/var/lib/libvirt/images</path></target></pool>`);
    expect(pool).toEqual({
      name: 'images', uuid: 'u', type: 'dir', path: '/var/lib/libvirt/images',
      capacityBytes: 1000, allocationBytes: 1024, availableBytes: 976,
    });
  });
});

describe('host facts and failures', () => {
  it('reads libvirt and hypervisor versions', () => {
    expect(parseVersionOutput('Compiled against library: libvirt 9.0.0\nUsing library: libvirt 9.0.0\nUsing API: QEMU 9.0.0\nRunning hypervisor: QEMU 7.2.0\n')).toEqual({
      libvirtVersion: '9.0.0',
      hypervisorVersion: 'QEMU 7.2.0',
    });
  });

  it.each([
    ["error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", 'libvirt-not-running'],
    ["error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused", 'libvirt-not-running'],
    ["error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied", 'permission-denied'],
    ['error: authentication unavailable: no polkit agent available to authenticate action', 'permission-denied'],
    ['bash: line 1: virsh: command not found', 'virsh-missing'],
    ['sudo: a password is required', 'permission-denied'],
    ['Sorry, user ops is not allowed to execute \'/usr/bin/virsh -q -c qemu:///system\' as root on kvm01.', 'permission-denied'],
    ['error: something else entirely', 'error'],
  ] as const)('maps %j to %s', (stderr, status) => {
    expect(statusForFailure(new VirshSessionClosed({ code: 1, signal: null }, stderr))).toBe(status);
  });
});

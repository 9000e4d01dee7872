// PXE and cloud-init seeds, pure parts: which networks can PXE-boot a guest, which boot file
// a TFTP folder offers each firmware, which private /24 is free, the PXE network's XML, and the
// seed's user-data/meta-data (validated, the password only as a $6$ hash).
import { describe, expect, it } from 'vitest';
import { verify } from 'unixcrypt';
import { parse } from 'yaml';
import { seedFiles, type SeedInput } from '../../main/install/cloudInit.js';
import { judgeNetworkPxe, networkServesPxe, pickBootFile, pickFreeSubnet, pxeNetworkDraft } from '../../main/install/pxe.js';
import { installSourceErrorOf } from '../../main/install/sourceErrors.js';
import { newNetworkXml } from '../../main/libvirt/networkDraft.js';

const NAT_DHCP = `<network><name>default</name><forward mode='nat'/><ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip></network>`;

describe('networkServesPxe', () => {
  it('NAT with DHCP but no TFTP/bootp cannot', () => {
    expect(judgeNetworkPxe(NAT_DHCP)).toEqual({ serves: false, why: 'no-tftp' });
  });
  it('isolated without DHCP cannot', () => {
    expect(judgeNetworkPxe(`<network><name>iso</name><ip address='10.1.1.1' prefix='24'/></network>`)).toEqual({ serves: false, why: 'no-dhcp' });
  });
  it('TFTP without bootp cannot', () => {
    const xml = `<network><name>t</name><forward mode='nat'/><ip address='10.1.1.1' prefix='24'><tftp root='/srv/tftp'/><dhcp><range start='10.1.1.2' end='10.1.1.9'/></dhcp></ip></network>`;
    expect(judgeNetworkPxe(xml).why).toBe('no-bootp');
  });
  it('tftp + bootp can', () => {
    const xml = `<network><name>p</name><forward mode='nat'/><ip address='10.1.1.1' prefix='24'><tftp root='/srv/tftp'/><dhcp><range start='10.1.1.2' end='10.1.1.9'/><bootp file='pxelinux.0'/></dhcp></ip></network>`;
    expect(networkServesPxe(xml)).toBe(true);
  });
  it('a bridged network defers to the LAN', () => {
    expect(judgeNetworkPxe(`<network><name>br</name><forward mode='bridge'/><bridge name='br0'/></network>`)).toEqual({ serves: true, why: 'lan' });
    expect(networkServesPxe(`<network><name>mv</name><forward mode='private'><interface dev='eth0'/></forward></network>`)).toBe(true);
  });
  it('the network createPxeNetwork defines serves PXE', () => {
    const xml = newNetworkXml(pxeNetworkDraft('vd-pxe', '192.168.101.0/24', '/srv/tftp', 'pxelinux.0'));
    expect(xml).toContain("<tftp root='/srv/tftp'/>");
    expect(xml).toMatch(/<dhcp>\s*<range start='192\.168\.101\.100' end='192\.168\.101\.254'\/>\s*<bootp file='pxelinux\.0'\/>/);
    expect(networkServesPxe(xml)).toBe(true);
  });
});

describe('pickBootFile', () => {
  const debian = ['./pxelinux.0', './ldlinux.c32', './debian-installer/amd64/bootnetx64.efi', './debian-installer/amd64/grubx64.efi', './debian-installer/amd64/pxelinux.0'];
  it('BIOS: pxelinux.0 at the top beats the one in a subfolder', () => {
    expect(pickBootFile(debian, 'bios')).toBe('pxelinux.0');
  });
  it('UEFI: bootnetx64.efi, wherever it is', () => {
    expect(pickBootFile(debian, 'uefi')).toBe('debian-installer/amd64/bootnetx64.efi');
  });
  it('an iPXE script for BIOS, any .efi for UEFI', () => {
    expect(pickBootFile(['./menu.ipxe'], 'bios')).toBe('menu.ipxe');
    expect(pickBootFile(['./EFI/BOOT/BOOTX64.EFI'], 'uefi')).toBe('EFI/BOOT/BOOTX64.EFI');
  });
  it('the wrong firmware finds nothing', () => {
    expect(pickBootFile(['./pxelinux.0', './ldlinux.c32'], 'uefi')).toBeUndefined();
    expect(pickBootFile(['./grubx64.efi'], 'bios')).toBeUndefined();
  });
});

describe('pickFreeSubnet', () => {
  it('skips used /24s and anything a wider network covers', () => {
    expect(pickFreeSubnet([])).toBe('192.168.100.0/24');
    expect(pickFreeSubnet(['192.168.100.1/24', '192.168.101.7'])).toBe('192.168.102.0/24');
    expect(pickFreeSubnet(['192.168.0.0/16'])).toBe('10.100.0.0/24');
  });
  it('says when nothing is free', () => {
    expect(pickFreeSubnet(['192.168.0.0/16', '10.0.0.0/8'])).toBeUndefined();
  });
});

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb me@desk';
const input: SeedInput = { hostname: 'web-1', user: 'deploy', password: 'correct horse', sshKeys: [KEY] };

describe('seedFiles', () => {
  it('writes #cloud-config with hostname, a sudo user, a $6$ hash and the key; never the password', () => {
    const { userData, metaData } = seedFiles(input, 'vm-1');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(userData).not.toContain('correct horse');
    const config = parse(userData) as { hostname: string; users: { name: string; sudo: string; passwd: string; ssh_authorized_keys: string[]; lock_passwd: boolean }[] };
    expect(config.hostname).toBe('web-1');
    const [user] = config.users;
    expect(user).toMatchObject({ name: 'deploy', sudo: 'ALL=(ALL) NOPASSWD:ALL', lock_passwd: false, ssh_authorized_keys: [KEY] });
    expect(user!.passwd).toMatch(/^\$6\$/);
    expect(verify('correct horse', user!.passwd)).toBe(true);
    expect(parse(metaData)).toEqual({ 'instance-id': 'vm-1', 'local-hostname': 'web-1' });
  });
  it('a user with keys only has a locked password', () => {
    const config = parse(seedFiles({ ...input, password: undefined }, 'vm-1').userData) as { users: { passwd?: string; lock_passwd: boolean }[] };
    expect(config.users[0]!.passwd).toBeUndefined();
    expect(config.users[0]!.lock_passwd).toBe(true);
  });
  it.each<[string, SeedInput]>([
    ['hostname', { ...input, hostname: 'bad_name!' }],
    ['user', { ...input, user: 'Root Admin' }],
    ['user', { ...input, user: 'root' }],
    ['password', { ...input, password: 'two\nlines' }],
    ['sshKeys', { ...input, sshKeys: ['not a key'] }],
    ['sshKeys', { ...input, password: '', sshKeys: [] }],
  ])('refuses a bad %s (bad-seed)', (field, bad) => {
    let caught: unknown;
    try {
      seedFiles(bad, 'vm-1');
    } catch (error) {
      caught = error;
    }
    expect(installSourceErrorOf(caught)).toEqual({ reason: 'bad-seed', params: { field } });
  });
});

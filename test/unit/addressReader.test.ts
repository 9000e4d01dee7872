import { describe, expect, it } from 'vitest';
import { localRunner } from '../../main/connection/localRunner.js';
import { parseDhcpLeases, readAddresses } from '../../main/libvirt/addressReader.js';
import { parseDomainXml } from '../../main/libvirt/models/domain.js';
import { VirshSession, type VirshResult } from '../../main/libvirt/virshSession.js';

/** Captured on lab host lab2 (libvirt 9.0): `virsh net-dhcp-leases --network default`, two iPXE guests. */
const CAPTURED_LEASES = ` Expiry Time           MAC address         Protocol   IP address          Hostname   Client ID or DUID
-----------------------------------------------------------------------------------------------------------
 2026-11-21 22:52:46   52:54:00:31:7d:0f   ipv4       192.168.122.16/24   -          01:52:54:00:31:7d:0f
 2026-11-21 22:53:12   52:54:00:e7:00:01   ipv4       192.168.122.93/24   -          01:52:54:00:e7:00:01

`;

/** The same command on a network with no leases. */
const CAPTURED_EMPTY = ` Expiry Time   MAC address   Protocol   IP address   Hostname   Client ID or DUID
-----------------------------------------------------------------------------------

`;

describe('parseDhcpLeases', () => {
  it('reads every row of a captured table', () => {
    expect(parseDhcpLeases(CAPTURED_LEASES)).toEqual([
      { expiryTime: '2026-11-21 22:52:46', mac: '52:54:00:31:7d:0f', protocol: 'ipv4', address: '192.168.122.16', prefix: 24, clientId: '01:52:54:00:31:7d:0f' },
      { expiryTime: '2026-11-21 22:53:12', mac: '52:54:00:e7:00:01', protocol: 'ipv4', address: '192.168.122.93', prefix: 24, clientId: '01:52:54:00:e7:00:01' },
    ]);
  });

  it('an empty table is no leases', () => {
    expect(parseDhcpLeases(CAPTURED_EMPTY)).toEqual([]);
    expect(parseDhcpLeases('')).toEqual([]);
  });

  it('IPv6 rows, hostnames, and MACs in upper case (shape per virsh-network.c)', () => {
    const table = ` 2026-11-21 22:53:12   52:54:00:AB:CD:EF   ipv6       fd00:1::42/64       web-01     00:04:1a:2b:3c:4d\n`;
    expect(parseDhcpLeases(table)).toEqual([
      { expiryTime: '2026-11-21 22:53:12', mac: '52:54:00:ab:cd:ef', protocol: 'ipv6', address: 'fd00:1::42', prefix: 64, hostname: 'web-01', clientId: '00:04:1a:2b:3c:4d' },
    ]);
  });
});

/** A session stand-in that answers net-dhcp-leases per network from a table. */
function fakeSession(answers: Record<string, VirshResult>): VirshSession {
  return {
    runBatch: (argvs: readonly (readonly string[])[]) =>
      argvs.map((argv) => Promise.resolve(answers[argv[2] ?? ''] ?? { stdout: '', stderr: 'error: no such network', ok: false })),
  } as unknown as VirshSession;
}

describe('readAddresses', () => {
  it('maps MAC → addresses over all networks, IPv4 first, skipping networks that fail', async () => {
    const session = fakeSession({
      default: { stdout: CAPTURED_LEASES, stderr: '', ok: true },
      lab: {
        stdout: ` 2026-11-21 22:53:12   52:54:00:e7:00:01   ipv6       fd00::93/64   -   00:01\n 2026-11-21 22:53:12   52:54:00:e7:00:01   ipv4       10.0.0.93/24   -   01:52\n`,
        ok: true,
        stderr: '',
      },
    });
    const addresses = await readAddresses(session, ['default', 'lab', 'gone']);
    expect(Object.fromEntries(addresses)).toEqual({
      '52:54:00:31:7d:0f': ['192.168.122.16'],
      '52:54:00:e7:00:01': ['192.168.122.93', '10.0.0.93', 'fd00::93'],
    });
  });

  it('against the test driver, which has no DHCP leases, answers an empty map', async () => {
    const session = await VirshSession.start(localRunner, 'test:///default');
    try {
      expect((await readAddresses(session, ['default'])).size).toBe(0);
    } finally {
      session.dispose();
    }
  });

  it('the domain model lists interface MACs in lowercase to join with the leases', () => {
    // The NICs of evt-stats as `virsh dumpxml` printed them while running; the second MAC upper-cased here.
    const domain = parseDomainXml(`<domain type='qemu' id='3'><name>evt-stats</name><uuid>u</uuid><memory unit='KiB'>131072</memory><vcpu>2</vcpu>
      <os><type arch='x86_64'>hvm</type></os><devices>
      <interface type='network'>
        <mac address='52:54:00:e7:00:01'/>
        <source network='default' portid='9bccbf05-3c5c-4f75-b3cf-b34ba63c58e2' bridge='virbr0'/>
        <target dev='vnet2'/><model type='virtio'/><alias name='net0'/>
      </interface>
      <interface type='network'>
        <mac address='52:54:00:E7:00:02'/>
        <source network='default' portid='07da8dc6-6e2c-42c9-8938-894255765a23' bridge='virbr0'/>
        <target dev='vnet3'/><model type='e1000'/><alias name='net1'/>
      </interface></devices></domain>`);
    expect(domain.macs).toEqual(['52:54:00:e7:00:01', '52:54:00:e7:00:02']);
    expect(parseDomainXml(`<domain type='kvm'><name>n</name><devices/></domain>`).macs).toEqual([]);
  });
});

/**
 * VM addresses from the DHCP leases of libvirt's own networks: one `net-dhcp-leases` per active
 * network, all in one round trip. Joined with the MACs in each domain's XML (DomainDefinition.macs)
 * by the caller. Guests on bridges libvirt does not serve, or with static addresses, do not
 * appear here; that would need the guest agent.
 */
import type { VirshSession } from './virshSession.js';

export interface DhcpLease {
  /** As printed, host local time: `2026-11-21 22:52:46`. */
  expiryTime: string;
  /** Lowercase. */
  mac: string;
  protocol: 'ipv4' | 'ipv6';
  /** Without the prefix length. */
  address: string;
  prefix?: number;
  hostname?: string;
  clientId?: string;
}

/**
 * A row of the table (libvirt 9.0):
 *  ` 2026-11-21 22:53:12   52:54:00:e7:00:01   ipv4       192.168.122.93/24   -          01:52:54:00:e7:00:01`
 * Columns: Expiry Time (contains a space), MAC address, Protocol, IP address, Hostname,
 * Client ID or DUID; `-` for an empty one. Matching the fixed first four columns by shape makes
 * the header, the dashes and the blank line fall out on their own. (MACs are 6 bytes on Ethernet,
 * 20 on InfiniBand.)
 */
const ROW = /^\s*(\S+ \S+)\s+((?:[0-9a-f]{2}:){5,19}[0-9a-f]{2})\s+(ipv4|ipv6)\s+(\S+)(?:\s+(.*?))?\s*$/i;

function dash(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '-' ? undefined : value;
}

export function parseDhcpLeases(stdout: string): DhcpLease[] {
  const leases: DhcpLease[] = [];
  for (const line of stdout.split('\n')) {
    const row = ROW.exec(line.replace(/\r$/, ''));
    if (!row) continue;
    const [, expiryTime = '', mac = '', protocol = '', ipWithPrefix = '', rest = ''] = row;
    const slash = ipWithPrefix.lastIndexOf('/');
    const lease: DhcpLease = {
      expiryTime,
      mac: mac.toLowerCase(),
      protocol: protocol.toLowerCase() === 'ipv6' ? 'ipv6' : 'ipv4',
      address: slash < 0 ? ipWithPrefix : ipWithPrefix.slice(0, slash),
    };
    const prefix = slash < 0 ? NaN : Number(ipWithPrefix.slice(slash + 1));
    if (Number.isInteger(prefix)) lease.prefix = prefix;
    // The client ID never contains spaces; whatever precedes it is the hostname.
    const tail = /^(.*?)\s+(\S+)$/.exec(rest);
    const hostname = dash(tail ? tail[1] : rest);
    const clientId = dash(tail ? tail[2] : undefined);
    if (hostname) lease.hostname = hostname;
    if (clientId) lease.clientId = clientId;
    leases.push(lease);
  }
  return leases;
}

/**
 * MAC (lowercase) → addresses (no prefix length; IPv4 before IPv6, no duplicates) over the
 * given networks. Pass active networks only: an inactive one, or one that vanished since the
 * inventory was read, answers with an error that is skipped.
 */
export async function readAddresses(session: VirshSession, networkNames: readonly string[]): Promise<Map<string, string[]>> {
  const results = await Promise.all(session.runBatch(networkNames.map((name) => ['net-dhcp-leases', '--network', name])));
  return leasesByMac(results.flatMap((result) => (result.ok ? parseDhcpLeases(result.stdout) : [])));
}

/** MAC (lowercase) → addresses, IPv4 before IPv6, no duplicates. */
export function leasesByMac(leases: readonly DhcpLease[]): Map<string, string[]> {
  const ordered = [...leases].sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === 'ipv4' ? -1 : 1));
  const addresses = new Map<string, string[]>();
  for (const lease of ordered) {
    const list = addresses.get(lease.mac) ?? [];
    if (!list.includes(lease.address)) list.push(lease.address);
    addresses.set(lease.mac, list);
  }
  return addresses;
}

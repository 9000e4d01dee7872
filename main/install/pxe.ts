/**
 * PXE for the new-VM wizard: whether a virtual network can boot guests from the network, and a
 * PXE-ready NAT network made from a TFTP folder on the host.
 *
 * `networkServesPxe(xml)` (pure) judges a network's definition: libvirt's own dnsmasq serves a
 * boot file only with `<tftp root>` on an IPv4 `<ip>` and `<dhcp><bootp file/></dhcp>`; a
 * network that forwards onto a LAN (bridge, macvtap modes, hostdev) leaves DHCP to the LAN,
 * whose PXE server VirtDeck cannot see, so it is given the benefit of the doubt (with a note).
 *
 * `createPxeNetwork(host, spec)` checks the folder on the host (`tftp-root-missing`), picks the
 * boot file for the firmware (`no-boot-file`, with the names looked for), picks a private /24
 * that no other network or interface of the host uses (`no-free-subnet`), then defines and
 * starts the network through the existing network code (networkDraft.ts + networks.ts), which
 * undoes its own steps when one fails. Every failure is an InstallSourceError.
 */
import { ContractError } from '../../preload/contract.js';
import type { PxeNetworkSpec } from '../../preload/contract/install.js';
import type { NetworkDraft } from '../../preload/contract/networks.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { LibvirtHost } from '../libvirt/libvirtHost.js';
import { checkedResult } from '../libvirt/libvirtErrors.js';
import { newNetworkXml } from '../libvirt/networkDraft.js';
import { createNetwork } from '../libvirt/networks.js';
import { childElements } from '../libvirt/xml/childElements.js';
import { NETWORK, NetworkDocument } from '../libvirt/xml/networkDocument.js';
import { InstallSourceError } from './sourceErrors.js';

export type PxeFirmware = PxeNetworkSpec['firmware'];

export interface PxeJudgement {
  serves: boolean;
  /** Why: `tftp-bootp` (libvirt serves it), `lan` (bridged: the LAN's DHCP decides), `no-bootp`, `no-dhcp`, `no-tftp`. */
  why: 'tftp-bootp' | 'lan' | 'no-dhcp' | 'no-tftp' | 'no-bootp';
}

/** Forward modes whose guests sit on the host's LAN (its DHCP/PXE server, not libvirt's). */
const LAN_MODES: ReadonlySet<string> = new Set(['bridge', 'private', 'vepa', 'passthrough', 'hostdev']);

/** Whether a network can PXE-boot guests, and why (see the top of this file). */
export function judgeNetworkPxe(networkXml: string): PxeJudgement {
  const document = NetworkDocument.parse(networkXml);
  const hasForward = childElements(document.root, 'forward').length > 0;
  const mode = hasForward ? (document.get(NETWORK.forwardMode) ?? 'nat') : 'isolated';
  if (LAN_MODES.has(mode)) return { serves: true, why: 'lan' };
  if (document.dhcpRanges('ipv4').length === 0 && document.dhcpHosts('ipv4').length === 0) return { serves: false, why: 'no-dhcp' };
  if (!document.tftpRoot()) return { serves: false, why: 'no-tftp' };
  if (!document.bootFile()) return { serves: false, why: 'no-bootp' };
  return { serves: true, why: 'tftp-bootp' };
}

/** Whether a network's definition can PXE-boot guests (bridged networks: true, the LAN decides). */
export function networkServesPxe(networkXml: string): boolean {
  return judgeNetworkPxe(networkXml).serves;
}

/** Boot files a firmware can start, best first; `*.ext` stands for any file with that ending. */
export const BOOT_FILE_CANDIDATES: Record<PxeFirmware, readonly string[]> = {
  // QEMU's BIOS NIC ROMs are iPXE: a pxelinux binary or an iPXE script both work.
  bios: ['pxelinux.0', 'lpxelinux.0', 'undionly.kpxe', 'boot.ipxe', '*.ipxe', '*.kpxe'],
  uefi: ['bootnetx64.efi', 'grubx64.efi', 'ipxe.efi', 'snponly.efi', '*.efi'],
};

/**
 * The boot file for `firmware` among the files of a TFTP folder (paths relative to it, `/`
 * separated), or undefined. A file at the top beats one in a subfolder with the same name.
 */
export function pickBootFile(files: readonly string[], firmware: PxeFirmware): string | undefined {
  const clean = files.map((file) => file.replace(/^\.\//, '')).filter((file) => file !== '' && !file.endsWith('/'));
  const depth = (file: string) => file.split('/').length;
  const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);
  for (const candidate of BOOT_FILE_CANDIDATES[firmware]) {
    const matches = clean.filter((file) => (candidate.startsWith('*') ? base(file).toLowerCase().endsWith(candidate.slice(1)) : base(file) === candidate));
    if (matches.length > 0) return [...matches].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))[0];
  }
  return undefined;
}

/** `a.b.c.d/len` → [first, last] as 32-bit numbers; undefined for what is not IPv4. */
function ipv4Range(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (prefix > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const first = Math.floor(address / size) * size;
  return [first, first + size - 1];
}

/** Candidate /24s for new networks: 192.168.100–254, then 10.100–254.x (never 172.16/12, often VPNs). */
function* candidateSubnets(): Generator<string> {
  for (let third = 100; third <= 254; third++) yield `192.168.${third}.0/24`;
  for (let second = 100; second <= 254; second++) for (let third = 0; third <= 254; third++) yield `10.${second}.${third}.0/24`;
}

/** The first private /24 (as `a.b.c.0/24`) that overlaps none of `used` (CIDRs or bare addresses). */
export function pickFreeSubnet(used: readonly string[]): string | undefined {
  const ranges = used.map(ipv4Range).filter((range): range is [number, number] => range !== undefined);
  for (const candidate of candidateSubnets()) {
    const [first, last] = ipv4Range(candidate)!;
    if (!ranges.some(([from, to]) => from <= last && to >= first)) return candidate;
  }
  return undefined;
}

/** The draft of a PXE-ready NAT network on `subnet` (`a.b.c.0/24`): .1 the host, DHCP .100–.254. */
export function pxeNetworkDraft(name: string, subnet: string, tftpRoot: string, bootFile: string): NetworkDraft {
  const prefix = subnet.replace(/\.0\/24$/, '');
  return {
    name,
    kind: 'nat',
    bridge: '',
    ipv4: { address: `${prefix}.1`, prefix: 24, dhcp: { start: `${prefix}.100`, end: `${prefix}.254` }, hosts: [] },
    domain: '',
    pxe: { tftpRoot, bootFile },
    autostart: false,
  };
}

/**
 * Lists a TFTP folder on the host (files up to 3 levels deep), or says it is missing. Prints
 * `VDNOROOT` when the folder is not there. Constant text; the folder is a positional parameter.
 */
const LIST_TFTP_SCRIPT = 'set -u; if [ ! -d "$1" ]; then echo VDNOROOT; exit 0; fi; cd -- "$1" && find . -maxdepth 3 \\( -type f -o -type l \\) -print';

/** The subnets in use on the host: its interfaces' IPv4 addresses (`ip -4 -o addr`). */
async function hostInterfaceSubnets(host: LibvirtHost, signal?: AbortSignal): Promise<string[]> {
  const result = await runRemoteJob(host.runner, ['sh', '-c', 'ip -4 -o addr show 2>/dev/null || true'], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  return [...result.stdout.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((match) => match[1]!);
}

/** The IPv4 subnets of every network defined on the host (active or not). */
async function networkSubnets(host: LibvirtHost): Promise<string[]> {
  const names = checkedResult(await host.session.run(['net-list', '--all', '--name']), 'virsh net-list')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const results = await Promise.all(host.session.runBatch(names.map((name) => ['net-dumpxml', '--inactive', '--network', name])));
  const subnets: string[] = [];
  for (const result of results) {
    if (!result.ok) continue;
    const document = NetworkDocument.parse(result.stdout);
    for (const ip of childElements(document.root, 'ip')) {
      const family = ip.getAttribute('family') || 'ipv4';
      const address = ip.getAttribute('address');
      if (family !== 'ipv4' || !address) continue;
      const prefix = ip.getAttribute('prefix') || (ip.getAttribute('netmask') ? String(netmaskBits(ip.getAttribute('netmask')!)) : '24');
      subnets.push(`${address}/${prefix}`);
    }
  }
  return subnets;
}

function netmaskBits(netmask: string): number {
  return netmask.split('.').reduce((bits, part) => bits + (Number(part) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** Checks the folder and picks the boot file (see the top of this file). */
export async function tftpBootFile(host: LibvirtHost, tftpRoot: string, firmware: PxeFirmware, signal?: AbortSignal): Promise<string> {
  const listed = await runRemoteJob(host.runner, ['sh', '-c', LIST_TFTP_SCRIPT, 'sh', tftpRoot], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  if (listed.stdout.trim() === 'VDNOROOT') {
    throw new InstallSourceError('not-found', 'tftp-root-missing', `The TFTP folder ${tftpRoot} does not exist on the host.`, { path: tftpRoot });
  }
  if (listed.code !== 0) throw new InstallSourceError('file-error', 'tftp-root-missing', `The TFTP folder ${tftpRoot} on the host cannot be read.`, { path: tftpRoot }, listed.stderr.trim() || undefined);
  const bootFile = pickBootFile(listed.stdout.split('\n'), firmware);
  if (!bootFile) {
    const looked = BOOT_FILE_CANDIDATES[firmware].join('\n');
    throw new InstallSourceError('not-found', 'no-boot-file', `Nothing in ${tftpRoot} boots ${firmware === 'uefi' ? 'UEFI' : 'BIOS'} guests from the network; looked for ${BOOT_FILE_CANDIDATES[firmware].join(', ')}.`, {
      path: tftpRoot,
      firmware,
      looked,
    });
  }
  return bootFile;
}

/** Defines and starts a PXE-ready NAT network; see the top of this file. */
export async function createPxeNetwork(host: LibvirtHost, spec: PxeNetworkSpec, signal?: AbortSignal): Promise<{ name: string; bootFile: string; subnet: string }> {
  const tftpRoot = spec.tftpRoot.replace(/\/+$/, '') || '/';
  const bootFile = await tftpBootFile(host, tftpRoot, spec.firmware, signal);
  const [interfaces, networks] = await Promise.all([hostInterfaceSubnets(host, signal), networkSubnets(host)]);
  const subnet = pickFreeSubnet([...interfaces, ...networks]);
  if (!subnet) throw new InstallSourceError('bad-arguments', 'no-free-subnet', 'Every private /24 VirtDeck offers for new networks is already used on this host.');
  if (signal?.aborted) throw new ContractError('cancelled', 'Cancelled before the network was created; nothing changed.');
  // createNetwork undefines the network again when starting it fails.
  await createNetwork(host, spec.name, newNetworkXml(pxeNetworkDraft(spec.name, subnet, tftpRoot, bootFile)), { start: true, autostart: false });
  return { name: spec.name, bootFile, subnet };
}

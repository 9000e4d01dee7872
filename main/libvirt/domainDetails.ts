/**
 * What a VM's overview shows beyond the inventory: its definition read through the domain
 * document (devices, OS, vCPUs, memory), disk sizes (`domblkinfo`), uptime (the elapsed time of
 * its QEMU process on the host) and addresses (`domifaddr`, per source).
 *
 * Uptime: libvirt reports no start time. The QEMU process's elapsed time (`ps -o etimes=`) is a
 * duration measured on the host itself, so clock skew between host and workstation does not
 * matter, it survives restarts of VirtDeck (unlike the moment the app saw a "Started" event),
 * and a reboot inside the guest does not reset it (as libvirt's own notion of "running since"
 * does not either). The pid is the one libvirt recorded in its pid file (checked against the
 * VM's UUID in the process's command line, so a stale file is not believed); where that file
 * is not readable (a user outside root, a session daemon elsewhere), the QEMU process carrying
 * `-uuid UUID` is looked up instead.
 */
import type { Element } from '@xmldom/xmldom';
import type { AddressSource, AddressSourceResult, VmAddress, VmAddresses, VmDetailsInfo, VmDisk, VmGraphics, VmNic, VmOs, VmUptime } from '../../preload/contract.js';
import { collectOutput } from '../connection/hostProcess.js';
import { checkedResult } from './libvirtErrors.js';
import { runVirshJob, type LibvirtHost } from './libvirtHost.js';
import { virshErrorMessage } from './virshSession.js';
import { DOMAIN, DomainDocument } from './xml/domainDocument.js';
import { DISK, GRAPHICS, INTERFACE } from './xml/domainDevices.js';
import { stringProperty } from './xml/xmlProperty.js';

// ---------------------------------------------------------------------------------------------
// The definition
// ---------------------------------------------------------------------------------------------

/** What the shared device properties do not cover yet (read-only here). */
const DISK_EXTRA = {
  networkProtocol: stringProperty('./source/@protocol'),
  networkName: stringProperty('./source/@name'),
} as const;
/** Set in the live XML of an active (running or paused) domain only. */
const DOMAIN_ID = stringProperty('./@id');
const INTERFACE_EXTRA = { targetDev: stringProperty('./target/@dev') } as const;
const GRAPHICS_EXTRA = { listenNetwork: stringProperty('./listen/@network'), listenSocket: stringProperty('./listen/@socket') } as const;

/** Family segment of a libosinfo id → how people write it. Unknown ones are capitalised. */
const OS_FAMILIES: Readonly<Record<string, string>> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  silverblue: 'Fedora Silverblue',
  rhel: 'Red Hat Enterprise Linux',
  'rhel-atomic': 'Red Hat Enterprise Linux Atomic',
  centos: 'CentOS',
  'centos-stream': 'CentOS Stream',
  almalinux: 'AlmaLinux',
  rocky: 'Rocky Linux',
  ol: 'Oracle Linux',
  opensuse: 'openSUSE',
  sles: 'SUSE Linux Enterprise Server',
  sled: 'SUSE Linux Enterprise Desktop',
  archlinux: 'Arch Linux',
  alpinelinux: 'Alpine Linux',
  gentoo: 'Gentoo',
  mageia: 'Mageia',
  mandriva: 'Mandriva',
  slackware: 'Slackware',
  freebsd: 'FreeBSD',
  netbsd: 'NetBSD',
  openbsd: 'OpenBSD',
  dragonflybsd: 'DragonFly BSD',
  solaris: 'Solaris',
  win: 'Windows',
  msdos: 'MS-DOS',
  macos: 'macOS',
  linux: 'Linux',
  nixos: 'NixOS',
  'popos': 'Pop!_OS',
  'linuxmint': 'Linux Mint',
  manjaro: 'Manjaro',
  kali: 'Kali Linux',
  cirros: 'CirrOS',
  haiku: 'Haiku',
  freedos: 'FreeDOS',
  unknown: 'Unknown OS',
};

/** Windows Server releases as libosinfo spells them (`win/2k19`, `win/2k12r2`). */
function windowsVersion(version: string): string {
  const server = /^2k(\d{1,2})(r2)?$/i.exec(version);
  if (server) return `Server 20${(server[1] ?? '').padStart(2, '0')}${server[2] ? ' R2' : ''}`;
  return version;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * A readable name from a libosinfo id: `http://debian.org/debian/12` → "Debian 12",
 * `http://microsoft.com/win/2k19` → "Windows Server 2019". The id's path is family then
 * version; "rolling" releases and the generic `libosinfo.org/unknown` read as plain names.
 */
export function osNameFromId(id: string): string {
  let segments: string[];
  try {
    segments = new URL(id).pathname.split('/').filter((segment) => segment !== '').map(decodeURIComponent);
  } catch {
    segments = id.split('/').filter((segment) => segment !== '');
  }
  const [family, ...rest] = segments;
  if (family === undefined) return id;
  const name = OS_FAMILIES[family.toLowerCase()] ?? capitalise(family);
  let version = rest.join(' ');
  if (version.toLowerCase() === 'rolling') version = '';
  if (family.toLowerCase() === 'win') version = windowsVersion(version);
  return version === '' ? name : `${name} ${version}`;
}

function diskOf(document: DomainDocument, disk: Element): VmDisk {
  const sourceType = document.get(DISK.type, disk);
  const network = sourceType === 'network';
  return {
    target: document.get(DISK.targetDev, disk) ?? '',
    ...optional('bus', document.get(DISK.targetBus, disk)),
    device: document.get(DISK.device, disk) ?? 'disk',
    ...optional('sourceType', sourceType),
    ...optional('path', document.get(DISK.sourceFile, disk) ?? document.get(DISK.sourceDev, disk)),
    ...optional('pool', document.get(DISK.sourcePool, disk)),
    ...optional('volume', document.get(DISK.sourceVolume, disk)),
    ...optional('networkProtocol', network ? document.get(DISK_EXTRA.networkProtocol, disk) : undefined),
    ...optional('networkName', network ? document.get(DISK_EXTRA.networkName, disk) : undefined),
    ...optional('format', document.get(DISK.format, disk)),
    readonly: document.get(DISK.readonly, disk) ?? false,
    shareable: document.get(DISK.shareable, disk) ?? false,
  };
}

function nicOf(document: DomainDocument, nic: Element): VmNic {
  const type = document.get(INTERFACE.type, nic) ?? 'network';
  const source =
    document.get(INTERFACE.sourceNetwork, nic) ?? document.get(INTERFACE.sourceBridge, nic) ?? document.get(INTERFACE.sourceDev, nic);
  return {
    mac: (document.get(INTERFACE.mac, nic) ?? '').toLowerCase(),
    type,
    ...optional('model', document.get(INTERFACE.model, nic)),
    ...optional('source', source),
    linkState: document.get(INTERFACE.linkState, nic) === 'down' ? 'down' : 'up',
    ...optional('hostDevice', document.get(INTERFACE_EXTRA.targetDev, nic)),
  };
}

function graphicsOf(document: DomainDocument, graphics: Element): VmGraphics {
  const port = document.get(GRAPHICS.port, graphics);
  const listen =
    document.get(GRAPHICS.listenAddress, graphics) ??
    document.get(GRAPHICS.listen, graphics) ??
    document.get(GRAPHICS_EXTRA.listenSocket, graphics) ??
    document.get(GRAPHICS_EXTRA.listenNetwork, graphics);
  return {
    type: document.get(GRAPHICS.type, graphics) ?? '',
    ...optional('listen', listen),
    ...optional('port', port !== undefined && port >= 0 ? port : undefined),
    autoport: document.get(GRAPHICS.autoport, graphics) ?? port === undefined,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The overview's facts from a domain's XML (`dumpxml`: live for a running VM). */
export function domainDetailsFromXml(xml: string, hostId: string, readAt: number): VmDetailsInfo {
  const document = DomainDocument.parse(xml);
  const osId = document.get(DOMAIN.osVariant);
  const os: VmOs | undefined = osId ? { id: osId, name: osNameFromId(osId) } : undefined;
  const maxVcpus = document.get(DOMAIN.vcpu) ?? 1;
  const maxMemoryBytes = document.get(DOMAIN.memory) ?? 0;
  // <memory> is the most the guest may balloon up to; <currentMemory> what it has now.
  return {
    hostId,
    name: document.get(DOMAIN.name) ?? '',
    uuid: document.get(DOMAIN.uuid) ?? '',
    ...optional('domainType', document.get(DOMAIN.type)),
    ...optional('title', document.get(DOMAIN.title)),
    ...(os ? { os } : {}),
    ...optional('osType', document.get(DOMAIN.osType)),
    ...optional('arch', document.get(DOMAIN.osArch)),
    ...optional('machine', document.get(DOMAIN.osMachine)),
    vcpus: { current: document.get(DOMAIN.vcpuCurrent) ?? maxVcpus, max: maxVcpus },
    memory: { currentKiB: (document.get(DOMAIN.currentMemory) ?? maxMemoryBytes) / 1024, maxKiB: maxMemoryBytes / 1024 },
    disks: document.devices('disk').map((disk) => diskOf(document, disk)),
    nics: document.devices('interface').map((nic) => nicOf(document, nic)),
    graphics: document.devices('graphics').map((graphics) => graphicsOf(document, graphics)),
    active: document.get(DOMAIN_ID) !== undefined,
    readAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Disk sizes
// ---------------------------------------------------------------------------------------------

export interface BlockInfo {
  capacityBytes?: number;
  allocationBytes?: number;
}

/**
 * `virsh domblkinfo --all` (bytes, libvirt 9):
 *  ` Target   Capacity      Allocation   Physical`, dashes, then ` vda      1073741824    200704       1073741824`;
 * `-` where libvirt cannot tell (an empty CD-ROM drive).
 */
export function parseDomblkinfo(stdout: string): Map<string, BlockInfo> {
  const sizes = new Map<string, BlockInfo>();
  const number = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);
  for (const line of stdout.split('\n')) {
    const row = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line.replace(/\r$/, ''));
    if (!row || row[1] === 'Target' || /^-+$/.test(row[1] ?? '')) continue;
    const capacity = number(row[2]);
    const allocation = number(row[3]);
    sizes.set(row[1] ?? '', {
      ...(capacity === undefined ? {} : { capacityBytes: capacity }),
      ...(allocation === undefined ? {} : { allocationBytes: allocation }),
    });
  }
  return sizes;
}

// ---------------------------------------------------------------------------------------------
// Uptime
// ---------------------------------------------------------------------------------------------

/**
 * For each NAME UUID pair after the pid-file folder (or `session`: the session daemon's, under
 * the user's XDG_RUNTIME_DIR): `VDUP <index> <pidfile|uuid> <pid> <seconds>`.
 * Constant text; names and UUIDs arrive as positional parameters through the quoting function.
 * The fallback keeps only processes whose name starts with qemu (this script's own shell has
 * the UUID among its arguments too).
 */
export const UPTIME_SCRIPT = [
  'dir=$1; shift; i=0; if [ "$dir" = session ]; then dir=${XDG_RUNTIME_DIR:-/nonexistent}/libvirt/qemu/run; fi',
  'while [ $# -ge 2 ]; do n=$1; u=$2; shift 2; via=pidfile',
  'p=$(cat -- "$dir/$n.pid" 2>/dev/null); case $p in ""|*[!0-9]*) p=;; esac',
  'if [ -n "$p" ] && ! tr "\\000" " " < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "-uuid $u"; then p=; fi',
  'if [ -z "$p" ]; then via=uuid; for q in $(pgrep -f -- "-uuid $u" 2>/dev/null); do case $(ps -o comm= -p "$q" 2>/dev/null) in qemu*) p=$q; break;; esac; done; fi',
  'if [ -n "$p" ]; then e=$(ps -o etimes= -p "$p" 2>/dev/null | tr -d " "); case $e in ""|*[!0-9]*) ;; *) echo "VDUP $i $via $p $e";; esac; fi',
  'i=$((i+1)); done',
].join('; ');

/** Where libvirt's QEMU driver keeps its pid files for this URI; undefined: no QEMU processes. */
export function qemuPidDirectory(uri: string): string | undefined {
  const match = /^qemu(?:\+unix)?:\/\/\/(system|session)\b/i.exec(uri);
  if (!match) return undefined;
  return match[1]?.toLowerCase() === 'system' ? '/run/libvirt/qemu' : 'session';
}

export function parseUptimes(stdout: string, count: number, now: number): (VmUptime | undefined)[] {
  const result: (VmUptime | undefined)[] = Array.from({ length: count }, () => undefined);
  for (const line of stdout.split('\n')) {
    const row = /^VDUP (\d+) (pidfile|uuid) (\d+) (\d+)$/.exec(line.trim());
    if (!row) continue;
    const index = Number(row[1]);
    if (index >= count) continue;
    result[index] = { startedAt: now - Number(row[4]) * 1000, via: row[2] as VmUptime['via'], pid: Number(row[3]) };
  }
  return result;
}

/**
 * Uptime of running VMs, in one command on the host for all of them. Entries are undefined
 * where no process was found; the whole result is undefined when the URI runs no QEMU.
 */
export async function readUptimes(host: LibvirtHost, vms: readonly { name: string; uuid: string }[]): Promise<(VmUptime | undefined)[] | undefined> {
  const directory = qemuPidDirectory(host.uri);
  if (directory === undefined) return undefined;
  if (vms.length === 0) return [];
  const argv = ['sh', '-c', UPTIME_SCRIPT, 'sh', directory, ...vms.flatMap((vm) => [vm.name, vm.uuid])];
  const { stdout } = await collectOutput(host.runner.spawn(argv, { channelWaitMs: 10_000 }));
  return parseUptimes(stdout, vms.length, Date.now());
}

// ---------------------------------------------------------------------------------------------
// Details and addresses of one VM
// ---------------------------------------------------------------------------------------------

/** The overview of one VM: its live definition, disk sizes and (when it is active) uptime. */
export async function readDomainDetails(host: LibvirtHost, hostId: string, name: string): Promise<VmDetailsInfo> {
  const [xmlResult, blockResult] = await Promise.all(
    host.session.runBatch([
      ['dumpxml', '--domain', name],
      ['domblkinfo', '--domain', name, '--all'],
    ]),
  );
  const details = domainDetailsFromXml(checkedResult(xmlResult, 'virsh dumpxml'), hostId, Date.now());
  // Sizes are a nicety: a disk whose file is missing makes domblkinfo fail for all of them.
  const sizes = blockResult?.ok ? parseDomblkinfo(blockResult.stdout) : new Map<string, BlockInfo>();
  details.disks = details.disks.map((disk) => ({ ...disk, ...sizes.get(disk.target) }));
  if (details.active) {
    const uptimes = await readUptimes(host, [{ name: details.name, uuid: details.uuid }]).catch(() => [undefined]);
    const uptime = uptimes?.[0];
    if (uptime) details.uptime = uptime;
    else details.uptimeUnavailable = uptimes === undefined ? 'no-process-driver' : 'process-not-found';
  }
  return details;
}

/**
 * A row of `virsh domifaddr` (libvirt 9; with --full every row names its interface):
 *  ` vnet0      52:54:00:f5:3e:8a    ipv4         192.168.122.247/24`
 * Columns: Name (a guest agent may report names with spaces, "Ethernet 2"), MAC address (`-`
 * or `N/A` when unknown), Protocol, Address/prefix. Matched from the right, so the header, the
 * dashes and blank lines fall out. Without --full, further addresses of an interface show `-`
 * for name and MAC: those carry over from the row above.
 */
const ADDRESS_ROW = /^\s*(.+?)\s+(\S+)\s+(ipv4|ipv6)\s+(\S+)\s*$/i;

export function parseDomifaddr(stdout: string, source: AddressSource): VmAddress[] {
  const addresses: VmAddress[] = [];
  let previous: { name?: string; mac?: string } = {};
  for (const line of stdout.split('\n')) {
    const row = ADDRESS_ROW.exec(line.replace(/\r$/, ''));
    if (!row) continue;
    const [, rawName = '', rawMac = '', protocol = '', ipWithPrefix = ''] = row;
    const continued = rawName === '-' && (rawMac === '-' || rawMac === '');
    const name = continued ? previous.name : rawName === '-' || rawName === 'N/A' ? undefined : rawName;
    const mac = continued ? previous.mac : /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(rawMac) ? rawMac.toLowerCase() : undefined;
    previous = { ...(name === undefined ? {} : { name }), ...(mac === undefined ? {} : { mac }) };
    const slash = ipWithPrefix.lastIndexOf('/');
    const prefix = slash < 0 ? NaN : Number(ipWithPrefix.slice(slash + 1));
    addresses.push({
      source,
      ...(name === undefined ? {} : { interfaceName: name }),
      ...(mac === undefined ? {} : { mac }),
      protocol: protocol.toLowerCase() === 'ipv6' ? 'ipv6' : 'ipv4',
      address: slash < 0 ? ipWithPrefix : ipWithPrefix.slice(0, slash),
      ...(Number.isInteger(prefix) ? { prefix } : {}),
    });
  }
  return addresses;
}

/**
 * Failures that mean "this source has nothing to say for this VM now": no guest agent
 * configured or running, the VM not running, a driver without the call. Normal, not errors.
 */
const UNAVAILABLE = [/guest agent is not (configured|connected|responding|available)/i, /agent is not/i, /domain is not running/i, /not supported by the connection driver/i, /argument unsupported/i];

export function addressSourceResult(source: AddressSource, outcome: { ok: true } | { ok: false; stderr: string }): AddressSourceResult {
  if (outcome.ok) return { source, status: 'ok' };
  const message = virshErrorMessage(outcome.stderr) || outcome.stderr.trim() || `virsh domifaddr --source ${source} failed`;
  return { source, status: UNAVAILABLE.some((pattern) => pattern.test(outcome.stderr)) ? 'unavailable' : 'failed', message };
}

/** How long the guest agent may take to answer before the agent source counts as unavailable. */
export const AGENT_TIMEOUT_MS = 15_000;

function domifaddrArgv(name: string, source: AddressSource): string[] {
  return ['domifaddr', '--domain', name, '--source', source, '--full'];
}

/**
 * Addresses from each of `domifaddr`'s sources. lease and arp answer from the host at once and
 * go through the shared session; agent asks the guest, which can keep libvirt waiting, so it
 * runs as a job on its own channel.
 */
export async function readDomainAddresses(host: LibvirtHost, name: string): Promise<VmAddresses> {
  const [lease, arp] = host.session.runBatch([domifaddrArgv(name, 'lease'), domifaddrArgv(name, 'arp')]);
  const agent = runVirshJob(host, domifaddrArgv(name, 'agent'), { timeoutMs: AGENT_TIMEOUT_MS }).then(
    (stdout) => ({ ok: true as const, stdout }),
    (error: unknown) => ({ ok: false as const, stderr: errorText(error) }),
  );
  const outcomes: [AddressSource, { ok: boolean; stdout?: string; stderr?: string }][] = [
    ['lease', (await lease) ?? { ok: false, stderr: 'no answer' }],
    ['agent', await agent],
    ['arp', (await arp) ?? { ok: false, stderr: 'no answer' }],
  ];
  const addresses: VmAddress[] = [];
  const sources: AddressSourceResult[] = [];
  for (const [source, outcome] of outcomes) {
    if (outcome.ok) addresses.push(...parseDomifaddr(outcome.stdout ?? '', source));
    sources.push(addressSourceResult(source, outcome.ok ? { ok: true } : { ok: false, stderr: outcome.stderr ?? '' }));
  }
  return { addresses, sources, readAt: Date.now() };
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object') {
    const { detail, message } = error as { detail?: unknown; message?: unknown };
    if (typeof detail === 'string' && detail !== '') return detail;
    if (typeof message === 'string') return message;
  }
  return String(error);
}

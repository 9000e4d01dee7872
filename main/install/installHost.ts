/**
 * What the new-VM wizard reads from one host: guest types and machines (capabilities), memory
 * and threads (nodeinfo, freecell), UEFI (domcapabilities), pools, networks, bridges, the tools
 * the install sources use (probed in one remote command), and an ISO on the host (ISO9660
 * signature read through the file primitive, osinfo-detect and xorriso where present).
 */
import { readFile } from '../connection/hostFiles.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import type { InstallHostFacts, IsoInfo } from '../../preload/contract/install.js';
import { parseNodeinfoOutput } from '../libvirt/hostDetails.js';
import { parseDomainCapabilities } from '../libvirt/domainSettings.js';
import { attributeValue, childElements, firstChildElement } from '../libvirt/xml/childElements.js';
import { XmlDocument } from '../libvirt/xml/xmlDocument.js';
import { parseOsinfoDetect } from './osCatalog.js';
import { InstallSourceError } from './sourceErrors.js';

export type InstallTools = InstallHostFacts['tools'] & { osinfoQuery: boolean };

/** One remote command: which of the tools the sources use are on the host's PATH. */
export const TOOLS_SCRIPT =
  'for t in curl wget xorriso osinfo-detect osinfo-query xorrisofs genisoimage cloud-localds; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done; exit 0';

export function parseTools(stdout: string): InstallTools {
  const found = new Set(stdout.split('\n').map((line) => line.trim()));
  return {
    fetch: found.has('curl') ? 'curl' : found.has('wget') ? 'wget' : null,
    xorriso: found.has('xorriso'),
    osinfo: found.has('osinfo-detect'),
    osinfoQuery: found.has('osinfo-query'),
    seedBuilder: ['xorrisofs', 'xorriso', 'genisoimage', 'cloud-localds'].find((tool) => found.has(tool)) ?? null,
  };
}

export async function probeTools(runner: ProcessRunner): Promise<InstallTools> {
  const result = await runRemoteJob(runner, ['sh', '-c', TOOLS_SCRIPT], { timeoutMs: 30_000 });
  return parseTools(result.stdout);
}

type DomainTypes = InstallHostFacts['domainTypes'];

/** `virsh capabilities` → guest types per arch with their machine types, kvm before qemu. */
export function parseGuestTypes(xml: string): DomainTypes {
  const root = XmlDocument.parse(xml).root;
  const out: DomainTypes = [];
  for (const guest of childElements(root, 'guest')) {
    const osType = firstChildElement(guest, 'os_type')?.textContent?.trim();
    const arch = firstChildElement(guest, 'arch');
    const archName = attributeValue(arch, 'name');
    if (!archName || (osType !== 'hvm' && osType !== 'exe' && osType !== 'xen')) continue;
    const machines = [...new Set(childElements(arch, 'machine').map((machine) => (machine.textContent ?? '').trim()).filter(Boolean))];
    for (const domain of childElements(arch, 'domain')) {
      const type = attributeValue(domain, 'type');
      if (type !== 'kvm' && type !== 'qemu' && type !== 'xen' && type !== 'lxc') continue;
      if (out.some((entry) => entry.type === type && entry.arch === archName)) continue;
      const own = childElements(domain, 'machine').map((machine) => (machine.textContent ?? '').trim()).filter(Boolean);
      out.push({ type, arch: archName, machines: own.length > 0 ? own : machines });
    }
  }
  // Within a type, the host's own architecture first: capabilities list i686 before x86_64, and
  // a wizard that took the first entry made 32-bit guests that cannot run a 64-bit installer.
  const hostArch = firstChildElement(firstChildElement(firstChildElement(root, 'host'), 'cpu'), 'arch')?.textContent?.trim();
  const rank = { kvm: 0, xen: 1, qemu: 2, lxc: 3 } as const;
  const native = (entry: DomainTypes[number]) => (entry.arch === hostArch ? 0 : 1);
  return out.sort((a, b) => rank[a.type] - rank[b.type] || native(a) - native(b));
}

/** `virsh freecell --all`: the last line's total, in KiB. */
export function parseFreecell(stdout: string): number | undefined {
  const total = /Total:\s*(\d+)\s*KiB/i.exec(stdout) ?? /(\d+)\s*KiB\s*$/im.exec(stdout.trim());
  return total?.[1] ? Number(total[1]) : undefined;
}

export interface HostResourceFacts {
  domainTypes: DomainTypes;
  kvmUsable: boolean;
  hostMemoryMiB: number;
  freeMemoryMiB: number;
  hostThreads: number;
  uefiAvailable: boolean;
}

export function resourceFacts(outputs: { capabilities?: string; nodeinfo?: string; freecell?: string; domcapabilities?: string }): HostResourceFacts {
  const domainTypes = outputs.capabilities ? parseGuestTypes(outputs.capabilities) : [];
  const info = outputs.nodeinfo ? parseNodeinfoOutput(outputs.nodeinfo) : {};
  const hostMemoryMiB = Math.floor((info.memoryKiB ?? 0) / 1024);
  const free = outputs.freecell ? parseFreecell(outputs.freecell) : undefined;
  const domCaps = outputs.domcapabilities ? parseDomainCapabilities(outputs.domcapabilities) : undefined;
  return {
    domainTypes,
    kvmUsable: domainTypes.some((entry) => entry.type === 'kvm'),
    hostMemoryMiB,
    freeMemoryMiB: free !== undefined ? Math.floor(free / 1024) : hostMemoryMiB,
    hostThreads: info.logicalCpus ?? 1,
    uefiAvailable: domCaps?.efi ?? false,
  };
}

/** 'CD001' at byte 32769: the primary volume descriptor of an ISO9660 image. */
export const ISO_SIGNATURE_OFFSET = 32769;

export function isIso9660(head: Buffer): boolean {
  return head.length >= ISO_SIGNATURE_OFFSET + 5 && head.subarray(ISO_SIGNATURE_OFFSET, ISO_SIGNATURE_OFFSET + 5).toString('latin1') === 'CD001';
}

/** The first bytes of a host file (through the file primitive), and its size. */
async function readHead(runner: ProcessRunner, path: string, bytes: number): Promise<{ size: number; head: Buffer }> {
  const reader = await readFile(runner, path);
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    if (reader.size === 0) return { size: 0, head: Buffer.alloc(0) };
    await new Promise<void>((resolve, reject) => {
      reader.onData((chunk) => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= bytes) resolve();
      });
      reader.onEnd((error) => (error && received < bytes ? reject(error) : resolve()));
    });
    return { size: reader.size, head: Buffer.concat(chunks).subarray(0, bytes) };
  } finally {
    reader.dispose();
  }
}

/** Installer kernels an ISO may hold, looked for with xorriso (first pair found wins). */
const ISO_KERNEL_PAIRS: readonly [string, string][] = [
  ['/install.amd/vmlinuz', '/install.amd/initrd.gz'],
  ['/install/vmlinuz', '/install/initrd.gz'],
  ['/casper/vmlinuz', '/casper/initrd'],
  ['/images/pxeboot/vmlinuz', '/images/pxeboot/initrd.img'],
  ['/isolinux/vmlinuz', '/isolinux/initrd.img'],
  ['/boot/x86_64/loader/linux', '/boot/x86_64/loader/initrd'],
  ['/boot/vmlinuz', '/boot/initrd.gz'],
];

/** Arguments: ISO, then candidate paths; prints the ones xorriso finds in the image. */
const ISO_FIND_SCRIPT = 'iso=$1; shift; for p in "$@"; do xorriso -indev "$iso" -find "$p" -maxdepth 0 2>/dev/null | grep -qx "\'$p\'" && echo "$p"; done; exit 0';

export function pickIsoKernel(found: readonly string[]): { kernel: string; initrd: string } | undefined {
  const set = new Set(found);
  const pair = ISO_KERNEL_PAIRS.find(([kernel, initrd]) => set.has(kernel) && set.has(initrd));
  return pair ? { kernel: pair[0], initrd: pair[1] } : undefined;
}

/** What libvirt knows of a volume at a path (a pool's file the SSH user may not read). */
export type VolumeAtPath = (path: string) => Promise<{ format?: string; capacityBytes: number } | undefined>;

export async function inspectIso(runner: ProcessRunner, path: string, tools: Pick<InstallTools, 'xorriso' | 'osinfo'>, volumeAt?: VolumeAtPath): Promise<IsoInfo> {
  let read: { size: number; head: Buffer };
  try {
    read = await readHead(runner, path, ISO_SIGNATURE_OFFSET + 5);
  } catch (error) {
    // A volume only root may read (uploads into a pool libvirt made are root's, mode 0600):
    // libvirt probed its format; QEMU, run by libvirt, reads it.
    const volume = await volumeAt?.(path).catch(() => undefined);
    if (volume?.format === 'iso') return { path, sizeBytes: volume.capacityBytes };
    throw new InstallSourceError('file-error', 'iso-unreadable', `${path} cannot be read on the host.`, { path }, error instanceof Error ? error.message : undefined);
  }
  if (!isIso9660(read.head)) throw new InstallSourceError('bad-arguments', 'iso-unreadable', `${path} is not an ISO image.`, { path });
  const iso: IsoInfo = { path, sizeBytes: read.size };
  const [detect, find] = await Promise.all([
    tools.osinfo ? runRemoteJob(runner, ['osinfo-detect', '--format=env', '--type=media', path], { timeoutMs: 60_000 }) : undefined,
    tools.xorriso ? runRemoteJob(runner, ['sh', '-c', ISO_FIND_SCRIPT, 'sh', path, ...ISO_KERNEL_PAIRS.flat()], { timeoutMs: 60_000 }) : undefined,
  ]);
  const osId = detect ? parseOsinfoDetect(detect.stdout).osId : undefined;
  if (osId) iso.osId = osId;
  const pair = find ? pickIsoKernel(find.stdout.split('\n').map((line) => line.trim())) : undefined;
  if (pair) Object.assign(iso, pair);
  return iso;
}

/**
 * Pure rules for the settings editor's device and tuning fields, shared by the form and main:
 * libvirt's CPU list syntax (`0-3,^2,5`) for pinning, the disk target a new disk gets on a bus,
 * which buses can be hot-plugged, and MAC addresses for new interfaces.
 */

/**
 * The host CPUs a cpuset names (libvirt's syntax: numbers and ranges, `^N` excludes), sorted;
 * undefined when the text is not such a list or names none.
 */
export function parseCpuset(text: string): number[] | undefined {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) return undefined;
  const on = new Set<number>();
  const off = new Set<number>();
  for (const part of parts) {
    const match = /^(\^)?(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[2]);
    const to = match[3] === undefined ? from : Number(match[3]);
    if (to < from || (match[1] && match[3] !== undefined)) return undefined;
    if (to - from > 4096) return undefined;
    for (let cpu = from; cpu <= to; cpu++) (match[1] ? off : on).add(cpu);
  }
  const cpus = [...on].filter((cpu) => !off.has(cpu)).sort((a, b) => a - b);
  return cpus.length === 0 ? undefined : cpus;
}

/** A sorted CPU list written as libvirt writes it (`0-2,5`). */
export function formatCpuset(cpus: readonly number[]): string {
  const sorted = [...new Set(cpus)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(',');
}

/** The buses the form offers for disks. */
export const DISK_BUSES = ['virtio', 'sata', 'scsi', 'ide'] as const;
type DiskBusName = (typeof DISK_BUSES)[number];

const TARGET_PREFIX: Record<DiskBusName, string> = { virtio: 'vd', sata: 'sd', scsi: 'sd', ide: 'hd' };

/** `a`…`z`, `aa`… as libvirt names disk targets. */
function targetSuffix(index: number): string {
  let suffix = '';
  let n = index;
  do {
    suffix = String.fromCharCode(97 + (n % 26)) + suffix;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return suffix;
}

/** The first free target name on `bus` (vdb after vda; sdX shared by SATA and SCSI). */
export function nextDiskTarget(bus: DiskBusName, taken: readonly string[]): string {
  const prefix = TARGET_PREFIX[bus];
  for (let index = 0; ; index++) {
    const candidate = `${prefix}${targetSuffix(index)}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/**
 * Whether a disk on this bus can be plugged into (or out of) a running guest: virtio and SCSI
 * disks can; IDE and SATA (AHCI) cannot, and a CD-ROM only on SCSI.
 */
export function diskBusHotplugs(bus: string, device: string): boolean {
  if (device === 'cdrom') return bus === 'scsi';
  return bus === 'virtio' || bus === 'scsi' || bus === 'usb';
}

/** A unicast, locally administered-looking QEMU MAC (52:54:00:…) not in `taken`. */
export function generateMac(taken: readonly string[], random: () => number = Math.random): string {
  const used = new Set(taken.map((mac) => mac.toLowerCase()));
  for (;;) {
    const tail = Array.from({ length: 3 }, () => Math.floor(random() * 256).toString(16).padStart(2, '0'));
    const mac = `52:54:00:${tail.join(':')}`;
    if (!used.has(mac)) return mac;
  }
}

/** A Linux interface name as a bridge has (1–15 characters, no `/`, whitespace or `:`). */
export function bridgeNameValid(name: string): boolean {
  return /^[^\s/:]{1,15}$/.test(name) && name !== '.' && name !== '..';
}

/** Whether a libosinfo OS id names a Linux distribution (for the virtio advice). */
export function isLinuxOsId(osId: string): boolean {
  return /\/\/(debian|ubuntu|fedoraproject|redhat|centos|rockylinux|almalinux|opensuse|suse|archlinux|alpinelinux|gentoo|mageia|oraclelinux|linuxmint|kali|nixos|voidlinux|popos)\.|linux/i.test(osId);
}

/** Every online host CPU as one list: how a running guest's vCPU is unpinned. */
export function allCpusText(onlineCpus: readonly number[]): string {
  return formatCpuset(onlineCpus);
}

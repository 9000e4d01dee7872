/**
 * The operating systems the app ships, with the defaults each sets (hosts' osinfo databases
 * are often years old: Debian 12's knows no Debian 12), and reading libosinfo's own tools on a
 * host where they are installed. Their exit status is 0 even when nothing was found, so only
 * their output counts.
 */
export interface OsDefaults {
  memoryMiB: number;
  diskGiB: number;
  vcpus: number;
  diskBus: 'virtio' | 'sata';
  nicModel: 'virtio' | 'e1000e';
  firmware: 'bios' | 'uefi';
}

export interface OsEntry {
  /** libosinfo id, recorded in the domain's metadata. */
  id: string;
  shortId: string;
  name: string;
  family: 'linux' | 'windows' | 'other';
  defaults: OsDefaults;
}

const LINUX: OsDefaults = { memoryMiB: 2048, diskGiB: 20, vcpus: 2, diskBus: 'virtio', nicModel: 'virtio', firmware: 'bios' };
const WINDOWS: OsDefaults = { memoryMiB: 4096, diskGiB: 64, vcpus: 2, diskBus: 'sata', nicModel: 'e1000e', firmware: 'uefi' };

function linux(id: string, shortId: string, name: string, changes: Partial<OsDefaults> = {}): OsEntry {
  return { id, shortId, name, family: 'linux', defaults: { ...LINUX, ...changes } };
}

export const GENERIC_LINUX_ID = 'http://libosinfo.org/linux/2022';
export const OTHER_OS_ID = 'http://libosinfo.org/unknown';

export const OS_CATALOG: readonly OsEntry[] = [
  linux('http://debian.org/debian/13', 'debian13', 'Debian 13'),
  linux('http://debian.org/debian/12', 'debian12', 'Debian 12'),
  linux('http://debian.org/debian/11', 'debian11', 'Debian 11'),
  linux('http://debian.org/debian/10', 'debian10', 'Debian 10', { memoryMiB: 1024 }),
  linux('http://ubuntu.com/ubuntu/24.04', 'ubuntu24.04', 'Ubuntu 24.04 LTS', { memoryMiB: 4096, diskGiB: 25 }),
  linux('http://ubuntu.com/ubuntu/22.04', 'ubuntu22.04', 'Ubuntu 22.04 LTS', { memoryMiB: 4096, diskGiB: 25 }),
  linux('http://ubuntu.com/ubuntu/20.04', 'ubuntu20.04', 'Ubuntu 20.04 LTS', { diskGiB: 25 }),
  linux('http://fedoraproject.org/fedora/41', 'fedora41', 'Fedora 41', { diskGiB: 20 }),
  linux('http://redhat.com/rhel/9.4', 'rhel9.4', 'Red Hat Enterprise Linux 9', { firmware: 'uefi' }),
  linux('http://redhat.com/rhel/8.10', 'rhel8.10', 'Red Hat Enterprise Linux 8'),
  linux('http://rockylinux.org/rocky/9', 'rocky9', 'Rocky Linux 9', { firmware: 'uefi' }),
  linux('http://rockylinux.org/rocky/8', 'rocky8', 'Rocky Linux 8'),
  linux('http://almalinux.org/almalinux/9', 'almalinux9', 'AlmaLinux 9', { firmware: 'uefi' }),
  linux('http://almalinux.org/almalinux/8', 'almalinux8', 'AlmaLinux 8'),
  linux('http://opensuse.org/opensuse/15.6', 'opensuse15.6', 'openSUSE Leap 15.6', { diskGiB: 40 }),
  linux('http://opensuse.org/opensuse/tumbleweed', 'opensusetumbleweed', 'openSUSE Tumbleweed', { diskGiB: 40 }),
  { id: 'http://microsoft.com/win/11', shortId: 'win11', name: 'Windows 11', family: 'windows', defaults: { ...WINDOWS } },
  { id: 'http://microsoft.com/win/10', shortId: 'win10', name: 'Windows 10', family: 'windows', defaults: { ...WINDOWS, memoryMiB: 2048, firmware: 'bios' } },
  { id: 'http://microsoft.com/win/2022', shortId: 'win2k22', name: 'Windows Server 2022', family: 'windows', defaults: { ...WINDOWS } },
  { id: 'http://microsoft.com/win/2019', shortId: 'win2k19', name: 'Windows Server 2019', family: 'windows', defaults: { ...WINDOWS } },
  linux(GENERIC_LINUX_ID, 'linux2022', 'Generic Linux', { memoryMiB: 1024, diskGiB: 10 }),
  { id: OTHER_OS_ID, shortId: 'unknown', name: 'Other', family: 'other', defaults: { ...LINUX, memoryMiB: 1024, diskGiB: 10, vcpus: 1, diskBus: 'sata', nicModel: 'e1000e' } },
];

export function findOs(id: string): OsEntry | undefined {
  return OS_CATALOG.find((entry) => entry.id === id || entry.shortId === id);
}

/** The defaults for an OS id; an id the app does not ship gets those of its family or of "Other". */
export function osDefaults(id: string | undefined): OsDefaults {
  if (id === undefined) return findOs(OTHER_OS_ID)!.defaults;
  const known = findOs(id);
  if (known) return known.defaults;
  if (/microsoft\.com\/win/.test(id)) return WINDOWS;
  if (/debian|ubuntu|fedora|redhat|rocky|alma|opensuse|centos|linux/.test(id)) return LINUX;
  return findOs(OTHER_OS_ID)!.defaults;
}

export interface OsDetection {
  /** The OS id osinfo-detect named for install media, if any. */
  osId?: string;
  /** A tree's kernel and initrd paths, when the input was a tree. */
  treeKernel?: string;
  treeInitrd?: string;
}

/** `osinfo-detect --format=env` output: KEY=VALUE lines; nothing named means nothing found. */
export function parseOsinfoDetect(output: string): OsDetection {
  const values = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^(OSINFO_[A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!.replace(/^'(.*)'$/, '$1'));
  }
  const osId = values.get('OSINFO_INSTALLER') ?? values.get('OSINFO_TREE');
  const result: OsDetection = {};
  if (osId !== undefined && osId !== '') result.osId = osId;
  const kernel = values.get('OSINFO_TREE_KERNEL');
  const initrd = values.get('OSINFO_TREE_INITRD');
  if (kernel !== undefined && kernel !== '') result.treeKernel = kernel;
  if (initrd !== undefined && initrd !== '') result.treeInitrd = initrd;
  return result;
}

export interface OsinfoRow {
  shortId: string;
  name: string;
  version: string;
  id: string;
}

/** `osinfo-query os` output: a header, a dashed rule, then `short-id | name | version | id` rows. */
export function parseOsinfoQuery(output: string): OsinfoRow[] {
  const rows: OsinfoRow[] = [];
  for (const line of output.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4) continue;
    const [shortId, name, version, id] = cells as [string, string, string, string];
    if (shortId === 'Short ID' || !/^[a-z]+:\/\//.test(id)) continue;
    rows.push({ shortId, name, version, id });
  }
  return rows;
}

/**
 * The list the wizard offers: the app's own entries first, then what the host's database knows
 * beyond them (its newer or rarer systems), never replacing the app's defaults.
 */
export function mergeOsLists(hostRows: readonly OsinfoRow[]): OsEntry[] {
  const known = new Set(OS_CATALOG.map((entry) => entry.id));
  const extra = hostRows
    .filter((row) => !known.has(row.id))
    .map((row): OsEntry => {
      const family = /microsoft\.com\/win/.test(row.id) ? 'windows' : /linux|debian|ubuntu|fedora|redhat|suse|centos|rocky|alma/.test(row.id) ? 'linux' : 'other';
      return { id: row.id, shortId: row.shortId, name: row.name, family, defaults: osDefaults(row.id) };
    });
  return [...OS_CATALOG, ...extra];
}

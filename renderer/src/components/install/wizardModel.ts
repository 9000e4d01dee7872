/**
 * The new-VM wizard's form as plain data (issue 10): its defaults from the host's facts and the
 * chosen OS, the OS defaults applied without overwriting what the user changed, the spec sent to
 * main, and the choices remembered per host (localStorage, keyed by host id).
 */
import { storageNameProblem, type InstallHostFacts, type OsChoice, type StorageNameProblem, type WizardPage, type WizardSource, type WizardSpec } from '../../../../preload/contract.js';

export type SourceKind = 'iso' | 'upload' | 'download' | 'url' | 'pxe' | 'import' | 'cloud';
export const SOURCE_KINDS: readonly SourceKind[] = ['iso', 'upload', 'download', 'url', 'pxe', 'import', 'cloud'];

/** The wizard's pages in order; `name` problems belong to the summary, where the name is typed. */
export type PageId = 'host' | 'source' | 'os' | 'resources' | 'storage' | 'network' | 'summary';
export const PAGES: readonly PageId[] = ['host', 'source', 'os', 'resources', 'storage', 'network', 'summary'];

export function pageOfProblem(page: WizardPage): PageId {
  return page === 'name' ? 'summary' : page;
}

/** Fields the OS sets; once the user edits one, a later OS choice leaves it alone. */
export type OsField = 'memoryMiB' | 'vcpus' | 'diskGiB' | 'diskBus' | 'nicModel' | 'firmware';

export interface WizardForm {
  name: string;
  sourceKind: SourceKind;
  /** ISO already on the host (from the pool browser, a typed path, an upload or a download). */
  isoPath: string;
  url: string;
  kernelArgs: string;
  xenPv: boolean;
  importPath: string;
  importConvert: boolean;
  importPool: string;
  importFormat: 'qcow2' | 'raw';
  cloudPool: string;
  cloudVolume: string;
  cloudHostname: string;
  cloudUser: string;
  cloudPassword: string;
  cloudKeys: string;
  osId: string;
  domainType: WizardSpec['domainType'];
  arch: string;
  memoryMiB: number;
  vcpus: number;
  cpuMode: '' | 'host-passthrough' | 'host-model' | 'maximum';
  firmware: 'bios' | 'uefi';
  storageKind: 'new' | 'existing' | 'none';
  pool: string;
  diskGiB: number;
  format: 'qcow2' | 'raw';
  sparse: boolean;
  existingPath: string;
  diskBus: WizardSpec['diskBus'];
  networkKind: 'network' | 'bridge' | 'macvtap' | 'none';
  network: string;
  bridge: string;
  macvtapDevice: string;
  nicModel: string;
  /** Fields of OsField the user set by hand. */
  touched: Partial<Record<OsField, true>>;
}

export interface Remembered {
  sourceKind?: SourceKind;
  pool?: string;
  network?: string;
  memoryMiB?: number;
  vcpus?: number;
  osId?: string;
}

const STORAGE_PREFIX = 'virtdeck.newVm.';

export function loadRemembered(hostId: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Remembered {
  try {
    const text = storage?.getItem(STORAGE_PREFIX + hostId);
    if (!text) return {};
    const value = JSON.parse(text) as Remembered;
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

export function saveRemembered(hostId: string, form: WizardForm, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  const value: Remembered = {
    sourceKind: form.sourceKind,
    pool: form.pool,
    network: form.networkKind === 'network' ? form.network : undefined,
    memoryMiB: form.memoryMiB,
    vcpus: form.vcpus,
    osId: form.osId || undefined,
  };
  try {
    storage?.setItem(STORAGE_PREFIX + hostId, JSON.stringify(value));
  } catch {
    // A full or unavailable storage only loses the remembered choices.
  }
}

/**
 * What is wrong with the name of an ISO to upload into a pool holding `poolVolumes`. The volume
 * this page has just uploaded there (`uploadedHere`) is the chosen ISO, not a name already taken.
 */
export function uploadNameProblem(name: string, poolVolumes: readonly string[], uploadedHere: string | undefined): StorageNameProblem | undefined {
  return storageNameProblem(name, name === uploadedHere ? poolVolumes.filter((volume) => volume !== name) : poolVolumes);
}

/** A free name like `vm1`, `vm2`, … on the host. */
export function freeName(taken: readonly string[], base = 'vm'): string {
  for (let index = 1; ; index += 1) if (!taken.includes(`${base}${index}`)) return `${base}${index}`;
}

/** The source kinds the host's guest types allow. */
export function sourceKindsFor(facts: InstallHostFacts): SourceKind[] {
  const types = new Set(facts.domainTypes.map((entry) => entry.type));
  const machine = types.has('kvm') || types.has('qemu') || types.has('xen');
  if (!machine) return [];
  return SOURCE_KINDS.filter((kind) => kind !== 'cloud' || facts.tools.seedBuilder !== null);
}

export function initialForm(facts: InstallHostFacts, remembered: Remembered): WizardForm {
  const best = facts.domainTypes.find((entry) => entry.type === 'kvm' && facts.kvmUsable) ?? facts.domainTypes.find((entry) => entry.type !== 'kvm' && entry.type !== 'lxc') ?? facts.domainTypes[0];
  const pools = facts.pools.filter((pool) => pool.active);
  const pool = pools.find((candidate) => candidate.name === remembered.pool)?.name ?? pools.find((candidate) => candidate.name === 'default')?.name ?? pools[0]?.name ?? '';
  const networks = facts.networks.filter((network) => network.active);
  const network = networks.find((candidate) => candidate.name === remembered.network)?.name ?? networks.find((candidate) => candidate.name === 'default')?.name ?? networks[0]?.name ?? '';
  const kinds = sourceKindsFor(facts);
  return {
    name: freeName(facts.domainNames),
    sourceKind: remembered.sourceKind && kinds.includes(remembered.sourceKind) ? remembered.sourceKind : 'iso',
    isoPath: '',
    url: '',
    kernelArgs: 'console=ttyS0',
    xenPv: false,
    importPath: '',
    importConvert: false,
    importPool: pool,
    importFormat: 'qcow2',
    cloudPool: pool,
    cloudVolume: '',
    cloudHostname: '',
    cloudUser: '',
    cloudPassword: '',
    cloudKeys: '',
    osId: remembered.osId ?? '',
    domainType: best?.type ?? 'qemu',
    arch: best?.arch ?? 'x86_64',
    memoryMiB: remembered.memoryMiB ?? 1024,
    vcpus: remembered.vcpus ?? 1,
    cpuMode: '',
    firmware: 'bios',
    storageKind: pool ? 'new' : 'none',
    pool,
    diskGiB: 10,
    format: 'qcow2',
    sparse: true,
    existingPath: '',
    diskBus: 'virtio',
    networkKind: network ? 'network' : facts.bridges.length > 0 ? 'bridge' : 'none',
    network,
    bridge: facts.bridges[0] ?? '',
    macvtapDevice: facts.devices[0] ?? '',
    nicModel: 'virtio',
    touched: remembered.memoryMiB !== undefined || remembered.vcpus !== undefined ? { ...(remembered.memoryMiB !== undefined ? { memoryMiB: true } : {}), ...(remembered.vcpus !== undefined ? { vcpus: true } : {}) } : {},
  };
}

/** The OS's defaults over the form, except where the user set a value by hand. */
export function applyOsDefaults(form: WizardForm, os: OsChoice | undefined, uefiAvailable: boolean): WizardForm {
  if (!os) return { ...form, osId: '' };
  const next: WizardForm = { ...form, osId: os.id };
  const keep = form.touched;
  if (!keep.memoryMiB) next.memoryMiB = os.defaults.memoryMiB;
  if (!keep.vcpus) next.vcpus = os.defaults.vcpus;
  if (!keep.diskGiB) next.diskGiB = os.defaults.diskGiB;
  if (!keep.diskBus) next.diskBus = os.defaults.diskBus;
  if (!keep.nicModel) next.nicModel = os.defaults.nicModel;
  if (!keep.firmware) next.firmware = os.defaults.firmware === 'uefi' && uefiAvailable ? 'uefi' : 'bios';
  return next;
}

/** A user edit: the value, and the field marked as the user's own. */
export function touch<K extends keyof WizardForm>(form: WizardForm, field: K, value: WizardForm[K]): WizardForm {
  const osField = (['memoryMiB', 'vcpus', 'diskGiB', 'diskBus', 'nicModel', 'firmware'] as const).find((candidate) => candidate === field);
  return { ...form, [field]: value, touched: osField ? { ...form.touched, [osField]: true } : form.touched };
}

function sourceOf(form: WizardForm): WizardSource {
  switch (form.sourceKind) {
    case 'iso':
    case 'upload':
    case 'download':
      return { kind: 'iso', path: form.isoPath.trim() || '/' };
    case 'url':
      return { kind: 'url', url: form.url.trim(), kernelArgs: form.kernelArgs.trim() || undefined, xenPv: form.domainType === 'xen' ? form.xenPv : undefined };
    case 'pxe':
      return { kind: 'pxe' };
    case 'import':
      return { kind: 'import', path: form.importPath.trim() || '/', convertTo: form.importConvert && form.importPool ? { pool: form.importPool, format: form.importFormat } : undefined };
    case 'cloud':
      return {
        kind: 'cloud',
        base: { pool: form.cloudPool || '-', volume: form.cloudVolume || '-' },
        cloudInit: {
          hostname: form.cloudHostname.trim() || form.name.trim() || 'vm',
          user: form.cloudUser.trim() || 'user',
          password: form.cloudPassword || undefined,
          sshKeys: form.cloudKeys
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        },
      };
  }
}

/** Whether the chosen source brings its own disk (import, cloud): then the storage page has nothing to add. */
export function sourceBringsDisk(kind: SourceKind): boolean {
  return kind === 'import' || kind === 'cloud';
}

export function specOf(form: WizardForm): WizardSpec {
  const storage: WizardSpec['storage'] = sourceBringsDisk(form.sourceKind)
    ? { kind: 'none' }
    : form.storageKind === 'new'
      ? { kind: 'new', pool: form.pool || '-', sizeGiB: form.diskGiB > 0 ? form.diskGiB : 1, format: form.format, sparse: form.sparse }
      : form.storageKind === 'existing'
        ? { kind: 'existing', path: form.existingPath.trim() || '/' }
        : { kind: 'none' };
  const network: WizardSpec['network'] =
    form.networkKind === 'network' && form.network
      ? { kind: 'network', name: form.network }
      : form.networkKind === 'bridge' && form.bridge
        ? { kind: 'bridge', name: form.bridge }
        : form.networkKind === 'macvtap' && form.macvtapDevice
          ? { kind: 'macvtap', device: form.macvtapDevice, mode: 'bridge' }
          : { kind: 'none' };
  return {
    name: form.name.trim(),
    domainType: form.domainType,
    arch: form.arch,
    osId: form.osId || undefined,
    memoryMiB: Math.round(form.memoryMiB),
    vcpus: Math.round(form.vcpus),
    cpuMode: form.cpuMode || undefined,
    firmware: form.firmware,
    source: sourceOf(form),
    storage,
    diskBus: form.diskBus,
    network,
    nicModel: form.networkKind === 'none' ? undefined : form.nicModel,
  };
}

/** What a page still lacks before Next (checked here; main's preview checks the rest). */
export function localGaps(form: WizardForm, page: PageId): string[] {
  const gaps: string[] = [];
  if (page === 'source') {
    if ((form.sourceKind === 'iso' || form.sourceKind === 'upload' || form.sourceKind === 'download') && !form.isoPath.startsWith('/')) gaps.push('iso');
    if (form.sourceKind === 'url' && form.url.trim() === '') gaps.push('url');
    if (form.sourceKind === 'import' && !form.importPath.startsWith('/')) gaps.push('import');
    if (form.sourceKind === 'cloud' && (!form.cloudVolume || !form.cloudUser.trim())) gaps.push('cloud');
  }
  if (page === 'storage' && !sourceBringsDisk(form.sourceKind)) {
    if (form.storageKind === 'new' && (!form.pool || !(form.diskGiB > 0))) gaps.push('storage');
    if (form.storageKind === 'existing' && !form.existingPath.startsWith('/')) gaps.push('storage');
  }
  if (page === 'network' && form.sourceKind === 'pxe' && form.networkKind === 'none') gaps.push('network');
  return gaps;
}

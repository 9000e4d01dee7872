/**
 * Network-install trees: what is at a URL, found out BY THE HOST (its curl or wget, see
 * hostFetch.ts), so the host's view of the network counts, not this computer's.
 *
 * Recognised layouts, tried at once (one short job each) and judged in this order:
 * - `.treeinfo` (or `treeinfo`, for mirrors that hide dot files): `[general]` (or the newer
 *   `[release]`/`[tree]`) family, version, arch; `[images-<arch>]` kernel and initrd, relative
 *   to the tree (Fedora, RHEL, CentOS, Rocky, Alma; some SUSE media);
 * - Debian/Ubuntu netboot: `current/images/MANIFEST` (Ubuntu 20.04: `current/legacy-images/`)
 *   under `…/dists/<suite>/main/installer-<arch>/`, kernel and initrd in
 *   `…/netboot/<debian|ubuntu>-installer/<arch>/{linux,initrd.gz}`;
 * - openSUSE/SLES without treeinfo: `boot/<arch>/loader/{linux,initrd}`.
 *
 * `detectInstallTree(runner, url, options)` → `InstallTree` (layout, family/version/arch,
 * kernel and initrd URLs, the installer's repository argument, an osinfo short-id guess), or an
 * `InstallSourceError`: `bad-url`, `unreachable` (which file, the tool's words), `not-a-tree`
 * (the files looked for), `live-only` (Ubuntu after 20.04: only the live-server ISO installs it),
 * `no-fetch-tool`. The parsing functions are pure and exported for unit tests.
 */
import { parse as parseIni } from 'ini';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { checkInstallUrl, hostFetch, type FetchOutcome } from './hostFetch.js';
import { InstallSourceError } from './sourceErrors.js';

export type TreeLayout = 'treeinfo' | 'debian' | 'suse';

export interface InstallTree {
  /** The tree's root as used for the files below, with a trailing slash. */
  url: string;
  layout: TreeLayout;
  /** Lower case: fedora, rhel, centos, rocky, almalinux, debian, ubuntu, opensuse, sles, or what the tree says. */
  family: string;
  /** The tree's own name for itself where it has one ("Fedora", "Red Hat Enterprise Linux"). */
  name?: string;
  version?: string;
  /** libvirt's name for the architecture: x86_64, aarch64, … */
  arch: string;
  kernelUrl: string;
  initrdUrl: string;
  /** What the installer needs on its command line to find its packages (absent for Debian/Ubuntu). */
  repoArg?: string;
  /** libosinfo short-id guess (fedora39, rhel9.2, debian12, ubuntu20.04, opensuse15.5 …). */
  osId?: string;
}

export interface DetectTreeOptions {
  /** libvirt architecture of the guest (default x86_64). */
  arch?: string;
  signal?: AbortSignal;
  /** Per probe (default 20 s). */
  seconds?: number;
}

// ---------------------------------------------------------------------------------------------
// Pure parsing
// ---------------------------------------------------------------------------------------------

/** libvirt arch → Debian's name for it. */
const DEBIAN_ARCH: Record<string, string> = { x86_64: 'amd64', i686: 'i386', aarch64: 'arm64', ppc64le: 'ppc64el', s390x: 's390x', armv7l: 'armhf' };
const FROM_DEBIAN_ARCH: Record<string, string> = Object.fromEntries(Object.entries(DEBIAN_ARCH).map(([libvirt, debian]) => [debian, libvirt]));

const DEBIAN_CODENAMES: Record<string, string> = { stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14' };
const UBUNTU_CODENAMES: Record<string, string> = {
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  kinetic: '22.10',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};

/** The URL with exactly one trailing slash. */
export function treeBase(url: string): string {
  return url.replace(/\/*$/, '/');
}

function relativeTo(base: string, path: string): string {
  return new URL(path.replace(/^\/+/, ''), base).toString();
}

type Section = Record<string, unknown>;

function section(data: Record<string, unknown>, name: string): Section | undefined {
  const value = data[name];
  return value && typeof value === 'object' ? (value as Section) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** family as the tree names it → our lower-case family. */
export function familyOf(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('red hat') || n === 'rhel') return 'rhel';
  if (n.includes('centos')) return 'centos';
  if (n.includes('rocky')) return 'rocky';
  if (n.includes('alma')) return 'almalinux';
  if (n.includes('fedora')) return 'fedora';
  if (n.includes('opensuse')) return 'opensuse';
  if (n.includes('suse')) return 'sles';
  if (n.includes('oracle')) return 'ol';
  return n.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The libosinfo short-id a family and version most likely are (a guess: the user can change it). */
export function osIdGuess(family: string, version: string | undefined, name = ''): string | undefined {
  if (!version) return undefined;
  const v = version.trim();
  const major = /^\d+/.exec(v)?.[0];
  switch (family) {
    case 'fedora':
      return /rawhide/i.test(v) ? 'fedora-rawhide' : major ? `fedora${major}` : undefined;
    case 'rhel':
      return /^\d+\.\d+/.test(v) ? `rhel${/^\d+\.\d+/.exec(v)![0]}` : major ? `rhel${major}.0` : undefined;
    case 'centos':
      if (/stream/i.test(name) || /stream/i.test(v)) return major ? `centos-stream${major}` : undefined;
      return major ? `centos${major}.0` : undefined;
    case 'rocky':
      return major ? `rocky${major}` : undefined;
    case 'almalinux':
      return major ? `almalinux${major}` : undefined;
    case 'debian':
      return major ? `debian${major}` : undefined;
    case 'ubuntu':
      return /^\d+\.\d+/.test(v) ? `ubuntu${/^\d+\.\d+/.exec(v)![0]}` : undefined;
    case 'opensuse':
      return /tumbleweed/i.test(v) || /tumbleweed/i.test(name) ? 'opensusetumbleweed' : /^\d+\.\d+/.test(v) ? `opensuse${/^\d+\.\d+/.exec(v)![0]}` : undefined;
    case 'sles':
      return major ? `sles${major}` : undefined;
    default:
      return undefined;
  }
}

/** What the installer needs to find its packages: Fedora/RHEL family `inst.repo=`, SUSE `install=`. */
export function repoArgFor(family: string, version: string | undefined, url: string): string | undefined {
  if (family === 'debian' || family === 'ubuntu') return undefined;
  if (family === 'opensuse' || family === 'sles') return `install=${url}`;
  const major = Number(/^\d+/.exec(version ?? '')?.[0] ?? NaN);
  // Anaconda before RHEL/CentOS 7 (and Fedora 18) took method=.
  if ((family === 'rhel' || family === 'centos') && major < 7) return `method=${url}`;
  return `inst.repo=${url}`;
}

/**
 * A `.treeinfo` file → the tree, or undefined when it names no kernel and initrd for `arch`.
 * Both layouts: the old `[general]` (family, version, arch) and the newer one (`[release]`
 * name/version, `[tree]` arch); images in `[images-<arch>]`.
 */
export function parseTreeinfo(content: string, base: string, arch = 'x86_64'): InstallTree | undefined {
  let data: Record<string, unknown>;
  try {
    data = parseIni(content) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const general = section(data, 'general') ?? {};
  const release = section(data, 'release') ?? {};
  const name = text(general.family) ?? text(release.name);
  const version = text(general.version) ?? text(release.version);
  // Only the guest's own architecture boots: a tree for another one is no tree for this guest.
  const treeArch = arch;
  const images = section(data, `images-${arch}`);
  const kernel = text(images?.kernel);
  const initrd = text(images?.initrd);
  if (!kernel || !initrd) return undefined;
  const root = treeBase(base);
  const family = name ? familyOf(name) : 'unknown';
  const result: InstallTree = {
    url: root,
    layout: 'treeinfo',
    family,
    arch: treeArch,
    kernelUrl: relativeTo(root, kernel),
    initrdUrl: relativeTo(root, initrd),
  };
  if (name) result.name = name;
  if (version) result.version = version;
  const repoArg = repoArgFor(family, version, root);
  if (repoArg) result.repoArg = repoArg;
  const osId = osIdGuess(family, version, name);
  if (osId) result.osId = osId;
  return result;
}

/** Where a Debian/Ubuntu installer tree sits for a URL: its installer-<arch>/ folder, suite and arch. */
export function debianRoot(url: string, arch = 'x86_64'): { root: string; suite?: string; debArch: string } {
  let root = treeBase(url);
  // Given a folder inside the tree, go back to installer-<arch>/.
  const inside = /^(.*\/installer-[a-z0-9]+\/)/.exec(root);
  if (inside) root = inside[1]!;
  else if (/\/dists\/[^/]+\/$/.test(root)) root = `${root}main/installer-${DEBIAN_ARCH[arch] ?? arch}/`;
  else if (/\/dists\/[^/]+\/main\/$/.test(root)) root = `${root}installer-${DEBIAN_ARCH[arch] ?? arch}/`;
  const suite = /\/dists\/([^/]+)\//.exec(root)?.[1];
  const debArch = /\/installer-([a-z0-9]+)\/$/.exec(root)?.[1] ?? DEBIAN_ARCH[arch] ?? arch;
  return { root, ...(suite ? { suite } : {}), debArch };
}

/** Whether the URL names an Ubuntu release after 20.04 (no network installer); its version. */
export function ubuntuLiveOnly(url: string): string | undefined {
  if (!/ubuntu/i.test(url)) return undefined;
  const suite = /\/dists\/([a-z]+)(?:-[a-z]+)?\//.exec(treeBase(url))?.[1];
  const version = suite ? UBUNTU_CODENAMES[suite] : undefined;
  if (version && Number(version) > 20.04) return version;
  if (suite && !version && !/xenial|bionic|focal|trusty|precise/.test(suite)) return suite;
  return undefined;
}

/** A Debian/Ubuntu MANIFEST (its folder `images` under `root`) → the tree. */
export function parseDebianManifest(manifest: string, root: string, imagesDir: 'images' | 'legacy-images', suite?: string, debArch = 'amd64'): InstallTree {
  const named = new RegExp(`netboot/(debian|ubuntu)-installer/${debArch}/`).exec(manifest)?.[1];
  const family = named ?? (/ubuntu/i.test(root) ? 'ubuntu' : 'debian');
  const version = suite ? (family === 'ubuntu' ? UBUNTU_CODENAMES[suite.replace(/-.*/, '')] : DEBIAN_CODENAMES[suite]) : undefined;
  const netboot = `${root}current/${imagesDir}/netboot/${family}-installer/${debArch}/`;
  const result: InstallTree = {
    url: root,
    layout: 'debian',
    family,
    name: family === 'ubuntu' ? 'Ubuntu' : 'Debian',
    arch: FROM_DEBIAN_ARCH[debArch] ?? debArch,
    kernelUrl: `${netboot}linux`,
    initrdUrl: `${netboot}initrd.gz`,
  };
  if (version) result.version = version;
  const osId = osIdGuess(family, version);
  if (osId) result.osId = osId;
  return result;
}

/** A SUSE tree without treeinfo; `products` is `media.1/products` when the tree has one ("/ openSUSE-Leap 15.5-1"). */
export function suseTree(root: string, arch: string, products?: string): InstallTree {
  const line = products?.split('\n').find((entry) => entry.trim() !== '') ?? '';
  const product = /\/\s+(\S+)\s+(\S+)/.exec(line);
  const name = product?.[1]?.replace(/-/g, ' ');
  const family = name && /sles|enterprise/i.test(name) ? 'sles' : 'opensuse';
  const version = product?.[2]?.replace(/-\d+$/, '') ?? (name && /tumbleweed/i.test(name) ? 'tumbleweed' : undefined);
  const result: InstallTree = {
    url: root,
    layout: 'suse',
    family,
    arch,
    kernelUrl: `${root}boot/${arch}/loader/linux`,
    initrdUrl: `${root}boot/${arch}/loader/initrd`,
    repoArg: `install=${root}`,
  };
  if (name) result.name = name;
  if (version) result.version = version;
  const osId = osIdGuess(family, version, name);
  if (osId) result.osId = osId;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Detection on the host
// ---------------------------------------------------------------------------------------------

/** The files detection looks at for a URL, in the order they are judged. */
export function treeProbes(url: string, arch = 'x86_64'): { treeinfo: string[]; debian: { url: string; images: 'images' | 'legacy-images' }[]; suse: string[]; live: string; debianRoot: ReturnType<typeof debianRoot> } {
  const base = treeBase(url);
  const deb = debianRoot(base, arch);
  return {
    treeinfo: [`${base}.treeinfo`, `${base}treeinfo`],
    debian: [
      { url: `${deb.root}current/images/MANIFEST`, images: 'images' },
      { url: `${deb.root}current/legacy-images/MANIFEST`, images: 'legacy-images' },
    ],
    suse: [`${base}boot/${arch}/loader/linux`, `${base}boot/${arch}/loader/initrd`],
    live: `${base}casper/vmlinuz`,
    debianRoot: deb,
  };
}

/** Detects the install tree at `url`, the host fetching every file. See the top of this file. */
export async function detectInstallTree(runner: ProcessRunner, url: string, options: DetectTreeOptions = {}): Promise<InstallTree> {
  const checked = checkInstallUrl(url);
  const arch = options.arch ?? 'x86_64';
  const base = treeBase(checked);
  const probes = treeProbes(base, arch);
  const fetchOptions = { seconds: options.seconds ?? 20, ...(options.signal ? { signal: options.signal } : {}) };
  const text = (target: string) => hostFetch(runner, 'text', target, fetchOptions);
  const head = (target: string) => hostFetch(runner, 'head', target, fetchOptions);

  const [treeinfo, dotless, manifest, legacy, suseKernel, suseInitrd, casper] = await Promise.all([
    text(probes.treeinfo[0]!),
    text(probes.treeinfo[1]!),
    text(probes.debian[0]!.url),
    text(probes.debian[1]!.url),
    head(probes.suse[0]!),
    head(probes.suse[1]!),
    head(probes.live),
  ]);

  for (const found of [treeinfo, dotless]) {
    if (!found.ok) continue;
    const tree = parseTreeinfo(found.text, base, arch);
    if (tree) return tree;
  }
  const deb = probes.debianRoot;
  if (manifest.ok) return parseDebianManifest(manifest.text, deb.root, 'images', deb.suite, deb.debArch);
  if (legacy.ok) return parseDebianManifest(legacy.text, deb.root, 'legacy-images', deb.suite, deb.debArch);
  if (suseKernel.ok && suseInitrd.ok) {
    const products = await text(`${base}media.1/products`);
    return suseTree(base, arch, products.ok ? products.text : undefined);
  }

  const liveRelease = ubuntuLiveOnly(base);
  if (casper.ok || liveRelease) {
    throw new InstallSourceError(
      'bad-arguments',
      'live-only',
      `${base} is ${liveRelease ? `Ubuntu ${liveRelease}` : 'a live system'}: it has no network installer (Ubuntu publishes none after 20.04). Install it from its live-server ISO instead (the ISO source: download the ISO onto the host, then boot it).`,
      { url: base, release: liveRelease ?? '' },
    );
  }

  const all: [string, FetchOutcome][] = [
    [probes.treeinfo[0]!, treeinfo],
    [probes.treeinfo[1]!, dotless],
    [probes.debian[0]!.url, manifest],
    [probes.debian[1]!.url, legacy],
    [probes.suse[0]!, suseKernel],
    [probes.suse[1]!, suseInitrd],
  ];
  // A server that answered "no such file" for everything is reachable: this is not a tree.
  const unreachable = all.find(([, outcome]) => !outcome.ok && outcome.kind === 'unreachable');
  const anyAnswer = all.some(([, outcome]) => outcome.ok || outcome.kind === 'missing');
  if (unreachable && !anyAnswer) {
    const [file, outcome] = unreachable;
    const reason = outcome.ok ? '' : outcome.reason;
    throw new InstallSourceError('not-found', 'unreachable', `The host could not fetch ${file}: ${reason}`, { url: file, reason });
  }
  const looked = all.map(([file]) => file);
  throw new InstallSourceError('not-found', 'not-a-tree', `${base} is not an install tree the host can read: none of these files was there: ${looked.join(', ')}.`, { url: base, looked: looked.join('\n') });
}

// Install sources for the new-VM wizard's lab tests: network-install trees served over HTTP
// from this machine on the lab bridge (198.18.0.1, which every lab host reaches), a small
// bootable hybrid ISO, the same ISO as a qcow2 disk (import), a "cloud image" stand-in qcow2,
// and a TFTP folder put onto a host through the app's file primitive (PXE).
//
// Two flavours of kernel + initrd, the same kernel either way:
// - `installer`: Debian 12's real installer initrd (debian-installer-12-netboot-amd64); with
//   console=ttyS0 it reaches its first screen ("Select a language" / the d-i banner) on the
//   serial console — slow under TCG: about 100 s measured here (no /dev/kvm, 1 GiB guest; under
//   about 1 GiB it enters "low memory mode" and shows that notice first instead);
// - `mini`: the mini guest's busybox initrd (miniGuest.ts), which prints MINI_READY in seconds.
//
// Everything is built once into the lab state dir (a stamp per flavour), like miniGuest.ts.
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { putFile } from '../../main/connection/hostFiles.js';
import type { ProcessRunner } from '../../main/connection/hostProcess.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import { runChecked } from './command.js';
import { MINI_KERNEL_SOURCE, MINI_READY, miniGuestFiles } from './miniGuest.js';
import { labStateDir } from './paths.js';
import { BRIDGE_ADDRESS } from './plan.js';

export type InstallFlavour = 'installer' | 'mini';

const DI_DIR = path.dirname(MINI_KERNEL_SOURCE);
const DI_TEXT = path.resolve(DI_DIR, '..', '..');
export const INSTALLER_INITRD_SOURCE = path.join(DI_DIR, 'initrd.gz');
const ISOLINUX_BIN = '/usr/lib/ISOLINUX/isolinux.bin';
const ISOHYBRID_MBR = '/usr/lib/ISOLINUX/isohdpfx.bin';
const LDLINUX_C32 = '/usr/lib/syslinux/modules/bios/ldlinux.c32';

/**
 * What each flavour prints on ttyS0 once it is up: the installer's first screen (its newt
 * frontend draws the language question's title on the serial console), or the mini guest's line.
 */
export const FIRST_SCREEN: Record<InstallFlavour, RegExp> = {
  installer: /Select a language|Choose language|low memory mode/,
  mini: new RegExp(MINI_READY),
};

/** The Debian suite and arch of the served tree (trees.ts reads installer-amd64 → x86_64). */
export const TREE_SUITE = 'bookworm';
const DEBIAN_IMAGES = `dists/${TREE_SUITE}/main/installer-amd64/current/images`;
const NETBOOT = `${DEBIAN_IMAGES}/netboot/debian-installer/amd64`;

export interface InstallMedia {
  flavour: InstallFlavour;
  /** The kernel and initrd on this machine. */
  kernel: string;
  initrd: string;
  /** A BIOS-bootable (isolinux, console=ttyS0) hybrid ISO: boots as a CD-ROM and as a disk. */
  iso: string;
  /** The same ISO converted to qcow2 (`qemu-img convert`), for the import source. */
  isoQcow2: string;
  /**
   * The "cloud image" stand-in: a qcow2 that boots on its own as a disk (the hybrid ISO's
   * bytes), used as the backing file of the wizard's overlay. It does not run cloud-init: the
   * seed is checked by reading its files back from the ISO the guest has attached.
   */
  cloudQcow2: string;
  /** The HTTP root folder (both trees under it). */
  webRoot: string;
}

function mediaDir(flavour: InstallFlavour): string {
  return path.join(labStateDir(), 'install-media', flavour);
}

async function sourceFiles(flavour: InstallFlavour): Promise<{ kernel: string; initrd: string }> {
  if (flavour === 'installer') return { kernel: MINI_KERNEL_SOURCE, initrd: INSTALLER_INITRD_SOURCE };
  return miniGuestFiles();
}

const ISOLINUX_CFG = `SERIAL 0 115200
CONSOLE 0
PROMPT 0
TIMEOUT 0
DEFAULT install
LABEL install
  KERNEL /install/vmlinuz
  APPEND initrd=/install/initrd.gz console=ttyS0 ---
`;

const TREEINFO = `[general]
family = Debian
version = 12
arch = x86_64
name = Debian 12 (VirtDeck lab)

[images-x86_64]
kernel = images/pxeboot/vmlinuz
initrd = images/pxeboot/initrd.img
`;

/** Builds (once per flavour) and returns the media on this machine. */
export async function installMedia(flavour: InstallFlavour): Promise<InstallMedia> {
  const dir = mediaDir(flavour);
  const src = await sourceFiles(flavour);
  const web = path.join(dir, 'web');
  const media: InstallMedia = {
    flavour,
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.gz'),
    iso: path.join(dir, `vd-${flavour}.iso`),
    isoQcow2: path.join(dir, `vd-${flavour}-disk.qcow2`),
    cloudQcow2: path.join(dir, `vd-${flavour}-cloud.qcow2`),
    webRoot: web,
  };
  const stampFile = path.join(dir, 'stamp');
  const sizes = await Promise.all([src.kernel, src.initrd, ISOLINUX_BIN].map(async (file) => (await stat(file)).size));
  const want = createHash('sha256').update(ISOLINUX_CFG).update(TREEINFO).update(sizes.join(',')).digest('hex');
  if ((await readFile(stampFile, 'utf8').catch(() => '')) === want) return media;

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(src.kernel, media.kernel);
  await copyFile(src.initrd, media.initrd);

  // Debian layout: MANIFEST + netboot/debian-installer/amd64/{linux,initrd.gz}.
  const netboot = path.join(web, 'debian', NETBOOT);
  await mkdir(netboot, { recursive: true });
  await symlink(media.kernel, path.join(netboot, 'linux'));
  await symlink(media.initrd, path.join(netboot, 'initrd.gz'));
  await writeFile(path.join(web, 'debian', DEBIAN_IMAGES, 'MANIFEST'), 'netboot/debian-installer/amd64/linux\tLinux kernel for netboot\nnetboot/debian-installer/amd64/initrd.gz\tinitrd for netboot\n');
  // .treeinfo layout, pointing at the same two files.
  const pxeboot = path.join(web, 'treeinfo', 'images', 'pxeboot');
  await mkdir(pxeboot, { recursive: true });
  await symlink(media.kernel, path.join(pxeboot, 'vmlinuz'));
  await symlink(media.initrd, path.join(pxeboot, 'initrd.img'));
  await writeFile(path.join(web, 'treeinfo', '.treeinfo'), TREEINFO);

  // The ISO: isolinux (El Torito, BIOS), console on the serial port, isohybrid MBR.
  const isoRoot = path.join(dir, 'iso-root');
  await mkdir(path.join(isoRoot, 'isolinux'), { recursive: true });
  await mkdir(path.join(isoRoot, 'install'), { recursive: true });
  await copyFile(ISOLINUX_BIN, path.join(isoRoot, 'isolinux', 'isolinux.bin'));
  await copyFile(LDLINUX_C32, path.join(isoRoot, 'isolinux', 'ldlinux.c32'));
  await writeFile(path.join(isoRoot, 'isolinux', 'isolinux.cfg'), ISOLINUX_CFG);
  await copyFile(media.kernel, path.join(isoRoot, 'install', 'vmlinuz'));
  await copyFile(media.initrd, path.join(isoRoot, 'install', 'initrd.gz'));
  await runChecked(
    'xorriso',
    ['-as', 'mkisofs', '-quiet', '-o', media.iso, '-V', 'VDINSTALL', '-J', '-R', '-isohybrid-mbr', ISOHYBRID_MBR, '-c', 'isolinux/boot.cat', '-b', 'isolinux/isolinux.bin', '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table', isoRoot],
    { timeoutMs: 120_000 },
  );
  await rm(isoRoot, { recursive: true, force: true });
  await qcow2FromIso(media.iso, media.isoQcow2);
  await qcow2FromIso(media.iso, media.cloudQcow2);
  await writeFile(stampFile, want);
  return media;
}

/** `qemu-img convert` of a (hybrid, disk-bootable) ISO into a qcow2 image. */
export async function qcow2FromIso(iso: string, out: string): Promise<void> {
  await runChecked('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', iso, out], { timeoutMs: 120_000 });
}

export interface InstallSources extends InstallMedia {
  /** `http://198.18.0.1:PORT/debian/dists/bookworm/main/installer-amd64/` (what detection takes). */
  debianUrl: string;
  /** `http://198.18.0.1:PORT/treeinfo/` */
  treeinfoUrl: string;
  /** The ISO over HTTP (for the host-download source). */
  isoUrl: string;
  /** What the guest prints on ttyS0 when it is up (FIRST_SCREEN[flavour]). */
  firstScreen: RegExp;
  /** Stops the HTTP server. */
  stop(): Promise<void>;
}

/** Serves `root` read-only (GET and HEAD, no listings, nothing outside it). */
function staticServer(root: string): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://lab');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !file.startsWith(root + path.sep)) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405).end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) return void response.writeHead(404).end();
        response.writeHead(200, { 'content-length': String(info.size), 'content-type': 'application/octet-stream' });
        if (request.method === 'HEAD') return void response.end();
        createReadStream(file).pipe(response);
      },
      () => void response.writeHead(404).end(),
    );
  });
}

/**
 * Builds the media (once) and serves both trees and the ISO over HTTP on the lab bridge
 * (the lab must be up: 198.18.0.1 exists only then). `address` '127.0.0.1' for tests on this
 * machine alone.
 */
export async function startInstallSources(options: { flavour: InstallFlavour; address?: string }): Promise<InstallSources> {
  const media = await installMedia(options.flavour);
  const isoDir = path.join(media.webRoot, 'iso');
  await mkdir(isoDir, { recursive: true });
  await symlink(media.iso, path.join(isoDir, path.basename(media.iso))).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const server = staticServer(media.webRoot);
  const address = options.address ?? BRIDGE_ADDRESS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://${address}:${port}`;
  return {
    ...media,
    debianUrl: `${base}/debian/dists/${TREE_SUITE}/main/installer-amd64/`,
    treeinfoUrl: `${base}/treeinfo/`,
    isoUrl: `${base}/iso/${path.basename(media.iso)}`,
    firstScreen: FIRST_SCREEN[options.flavour],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** pxelinux's configuration: boot the kernel at once, console on the serial port. */
export const PXELINUX_CFG = `SERIAL 0 115200
CONSOLE 0
PROMPT 0
TIMEOUT 0
DEFAULT install
LABEL install
  KERNEL linux
  APPEND initrd=initrd.gz console=ttyS0 ---
`;

/**
 * Puts a TFTP folder for BIOS PXE onto a host through the app's file primitive: pxelinux.0,
 * ldlinux.c32 (Debian's netboot copies), pxelinux.cfg/default (console=ttyS0), linux and
 * initrd.gz of the flavour. Folders 0755, files 0644, so libvirt's dnsmasq (running as its own
 * user, `libvirt-dnsmasq` on Debian) can read them; the caller removes `dir` afterwards.
 */
export async function putTftpRoot(runner: ProcessRunner, dir: string, flavour: InstallFlavour): Promise<void> {
  const media = await installMedia(flavour);
  const made = await runRemoteJob(runner, ['mkdir', '-p', '-m', '0755', '--', dir, `${dir}/pxelinux.cfg`], { timeoutMs: 30_000 });
  if (made.code !== 0) throw new Error(`mkdir ${dir} on the host: ${made.stderr}`);
  const files: [string, string | Buffer][] = [
    ['pxelinux.0', path.join(DI_TEXT, 'pxelinux.0')],
    ['ldlinux.c32', path.join(DI_TEXT, 'ldlinux.c32')],
    ['pxelinux.cfg/default', Buffer.from(PXELINUX_CFG)],
    ['linux', media.kernel],
    ['initrd.gz', media.initrd],
  ];
  for (const [name, source] of files) {
    const bytes = typeof source === 'string' ? await readFile(source) : source;
    await putFile(runner, `${dir}/${name}`, bytes, { size: bytes.length, mode: 0o644 });
  }
  const readable = await runRemoteJob(runner, ['chmod', 'a+rx', '--', dir, `${dir}/pxelinux.cfg`], { timeoutMs: 30_000 });
  if (readable.code !== 0) throw new Error(`chmod ${dir} on the host: ${readable.stderr}`);
}

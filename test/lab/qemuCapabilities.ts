// libvirt's QEMU capabilities cache, shared between the lab's hosts. libvirtd probes each
// qemu-system-* binary lazily, ~4 s apiece on this kind of machine, on a host's first define or
// `virsh capabilities` — which would land in whichever test touches a host first. lab:up probes
// each binary once (in parallel, on different hosts), keeps the result as a seed for the next
// lab:up and copies it to every host. libvirt re-validates cache files (binary ctime, kernel,
// microcode…), so a stale seed only costs the probe that would have happened anyway.
import { chmod, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { HostHandle } from './daemons.js';
import { runInHostChecked } from './hostNamespace.js';
import { hostStateDir, labQemuCapsSeedDir } from './paths.js';
import { LIBVIRT_URI } from './plan.js';

const EMULATOR_DIR = '/usr/bin';

/** libvirt's name for the architecture a qemu-system-<arch> binary emulates by default. */
const LIBVIRT_ARCH: Readonly<Record<string, string>> = { i386: 'i686' };

interface Emulator {
  readonly binary: string;
  readonly arch: string;
}

/** The binaries libvirt would probe: qemu-system-<arch>, not variants like qemu-system-x86_64-microvm. */
async function installedEmulators(): Promise<Emulator[]> {
  const names = await readdir(EMULATOR_DIR).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const match = /^qemu-system-([a-z0-9_]+)$/.exec(name);
    if (!match?.[1]) return [];
    return [{ binary: path.join(EMULATOR_DIR, name), arch: LIBVIRT_ARCH[match[1]] ?? match[1] }];
  });
}

function cacheDir(hostName: string): string {
  return path.join(hostStateDir(hostName), 'var-cache-libvirt', 'qemu', 'capabilities');
}

async function cacheFiles(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.xml'));
}

/** Copies the saved seed into a host's private cache (before or after its libvirtd started). */
export async function seedQemuCapabilities(hostName: string): Promise<void> {
  const seed = labQemuCapsSeedDir();
  const files = await cacheFiles(seed);
  if (files.length === 0) return;
  const target = cacheDir(hostName);
  await mkdir(target, { recursive: true });
  for (const file of files) {
    await copyFile(path.join(seed, file), path.join(target, file));
    await chmod(path.join(target, file), 0o600);
  }
}

/**
 * Probes (or, with a valid seed, just validates) every emulator, each on a different host so the
 * probes run in parallel, then makes the union of the caches the seed and gives it to every host.
 */
export async function shareQemuCapabilities(hosts: readonly HostHandle[]): Promise<void> {
  if (hosts.length === 0) return;
  const emulators = await installedEmulators();
  const prober = (i: number): HostHandle => hosts[i % hosts.length]!;
  // Files are named after a hash of the binary path, so caches from different hosts merge cleanly.
  await Promise.all(
    emulators.map((emulator, i) =>
      runInHostChecked(
        prober(i).holderPid,
        ['virsh', '-q', '-c', LIBVIRT_URI, 'domcapabilities', '--emulatorbin', emulator.binary, '--arch', emulator.arch],
        { timeoutMs: 120_000 },
      ),
    ),
  );

  const seed = labQemuCapsSeedDir();
  await rm(seed, { recursive: true, force: true });
  await mkdir(seed, { recursive: true, mode: 0o700 });
  const probers = new Set(emulators.map((_, i) => prober(i).name));
  for (const name of probers) {
    for (const file of await cacheFiles(cacheDir(name))) await copyFile(path.join(cacheDir(name), file), path.join(seed, file));
  }
  // Probers too: each holds only the binaries it probed.
  await Promise.all(hosts.map((h) => seedQemuCapabilities(h.name)));
}

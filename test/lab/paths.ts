// Where the lab keeps its files. Everything lives in one state directory (mode 0700) so one
// `lab:down` can find and remove it, and nothing is written into the developer's ~/.ssh.
//
// The directory is not inside the checkout: each lab host mounts its own /tmp, /var/tmp, /root
// and /home over this machine's, so a checkout under any of those (a CI clone in /tmp, a
// developer's ~/src) would vanish inside the hosts, and with it their sshd_config, keys and
// libvirt state. /var/lib/virtdeck-lab/ is seen the same from every namespace; each checkout
// gets its own directory there, and test/lab/.state is a link to it for people and tools.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const labDir = path.dirname(fileURLToPath(import.meta.url));

/** Parent of every checkout's lab state. */
export const LAB_STATE_ROOT = '/var/lib/virtdeck-lab';

/** test/lab/.state: a link to labStateDir(), made by lab:up. */
export function labStateLink(): string {
  return path.join(labDir, '.state');
}

/** Absolute path of the lab's state directory (keys, hosts.json, per-host private libvirt copies). */
export function labStateDir(): string {
  const checkout = path.resolve(labDir, '..', '..');
  const tag = createHash('sha256').update(checkout).digest('hex').slice(0, 10);
  return path.join(LAB_STATE_ROOT, `${path.basename(checkout)}-${tag}`);
}

/** hosts.json: the contract other tests read (see hosts.ts). */
export function labHostsFilePath(): string {
  return path.join(labStateDir(), 'hosts.json');
}

/** Private ed25519 key that the lab user accepts (authorized_keys) on every key-auth host. */
export function labKeyPath(): string {
  return path.join(labStateDir(), 'lab_ed25519');
}

/** known_hosts with the host key of every lab host, keyed by address (port 22). */
export function labKnownHostsPath(): string {
  return path.join(labStateDir(), 'known_hosts');
}

/** OpenSSH client config with one `Host` block per lab host: `ssh -F <this> lab1`. */
export function labSshConfigPath(): string {
  return path.join(labStateDir(), 'ssh_config');
}

/** Internal bookkeeping of a running lab (pids, namespaces); not part of the test contract. */
export function labRuntimeFilePath(): string {
  return path.join(labStateDir(), 'runtime.json');
}

/** Seed for libvirt's QEMU capabilities cache, so each new libvirtd skips re-probing QEMU. */
export function labQemuCapsSeedDir(): string {
  return path.join(labStateDir(), 'qemu-capabilities');
}

export function hostStateDir(hostName: string): string {
  return path.join(labStateDir(), 'hosts', hostName);
}

/** Per-host files kept across lab:down (the sshd host key, so known_hosts stays stable). */
export function hostKeyDir(hostName: string): string {
  return path.join(hostStateDir(hostName), 'ssh');
}

export type HostDaemon = 'holder' | 'sshd' | 'libvirtd' | 'virtlogd';

export function hostPidFile(hostName: string, daemon: HostDaemon): string {
  return path.join(hostStateDir(hostName), 'pids', `${daemon}.pid`);
}

export function hostSshdConfigPath(hostName: string): string {
  return path.join(hostStateDir(hostName), 'sshd_config');
}

export function hostSshdLogPath(hostName: string): string {
  return path.join(hostStateDir(hostName), 'sshd.log');
}

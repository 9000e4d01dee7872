// Where the lab keeps its files. Everything lives under test/lab/.state/ (git-ignored, mode 0700)
// so one `lab:down` can find and remove it, and nothing is written into the developer's ~/.ssh.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const labDir = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path of the lab's state directory (keys, hosts.json, per-host private libvirt copies). */
export function labStateDir(): string {
  return path.join(labDir, '.state');
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

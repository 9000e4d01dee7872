// The lab's contract with tests and benchmarks: hosts.json, written by `lab:up`, read here.
// This module only reads files, so any test may import it without needing root.
import { readFile } from 'node:fs/promises';
import { labHostsFilePath, labKnownHostsPath } from './paths.js';

export { labKeyPath, labKnownHostsPath, labSshConfigPath, labStateDir } from './paths.js';

export type LabAuth = 'key' | 'password' | 'keyboard-interactive';

/** What a host is for: plain hypervisors, and the variants that exercise special cases. */
export type LabHostRole = 'plain' | 'pw' | 'kbd' | 'jump' | 'behind' | 'stopped' | 'test-driver';

export interface LabHost {
  /** lab1..labN, pw, kbd, jump, behind, stopped */
  name: string;
  /** IPv4 address of the host's sshd (for `behind` only reachable from `jump`). */
  address: string;
  port: number;
  user: string;
  auth: LabAuth;
  /** Private key for auth 'key' (absolute path), otherwise null. */
  keyFile: string | null;
  /** Password for auth 'password' / 'keyboard-interactive', otherwise null. */
  password: string | null;
  /** Name of the host to tunnel through (ssh direct-tcpip), or null when directly reachable. */
  jumpHost: string | null;
  /** qemu:///system, or for test-driver hosts test:///… (a node file inside the host). */
  libvirtUri: string;
  /** Whether guests on this lab use KVM (domain type 'kvm') or TCG (type 'qemu'). */
  kvm: boolean;
  // Extra keys, beyond the required contract:
  role: LabHostRole;
  /** Network namespace the host lives in (`ip netns exec` / labExec). */
  namespace: string;
  /** False for `stopped` (libvirtd deliberately not started) and test-driver hosts (no libvirtd at all). */
  libvirtRunning: boolean;
  /** 'active', 'undefined' or 'failed: <reason>' for libvirt's default NAT network. */
  defaultNetwork: string;
  /** The host's sshd public key, "ssh-ed25519 AAAA…" (same as in known_hosts). */
  hostKey: string;
  /**
   * Its other host keys ("ecdsa-sha2-nistp256 AAAA…"; lab1 only), not in known_hosts: a client
   * with default preferences is shown the ed25519 key, one that asks for ecdsa sees this one.
   */
  extraHostKeys: string[];
  /** libvirt host UUID (`virsh sysinfo`/capabilities), unique per host, stable per name. */
  hostUuid: string | null;
  /** Whether the host's sshd allows forwarding to unix sockets (`jump` does not). */
  streamLocalForwarding: boolean;
}

/** Reads hosts.json; throws a clear error when the lab is not up. */
export async function readLabHosts(): Promise<LabHost[]> {
  const file = labHostsFilePath();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`VirtDeck lab is not up (${file} does not exist): run \`npm run lab:up\` as root`, { cause: err });
    }
    if ((err as NodeJS.ErrnoException).code === 'EACCES') {
      throw new Error(`cannot read ${file} (mode 0600, owned by root): run the tests as root`, { cause: err });
    }
    throw err;
  }
  return JSON.parse(text) as LabHost[];
}

export async function readLabHost(name: string): Promise<LabHost> {
  const hosts = await readLabHosts();
  const host = hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no lab host named ${name} (have: ${hosts.map((h) => h.name).join(', ')})`);
  return host;
}

/** known_hosts as a map: address → host key blobs (the base64-decoded key field). */
export async function readLabKnownHosts(): Promise<Map<string, Buffer[]>> {
  const text = await readFile(labKnownHostsPath(), 'utf8');
  const keys = new Map<string, Buffer[]>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const [patterns, , blob] = trimmed.split(/\s+/);
    if (!patterns || !blob) continue;
    for (const pattern of patterns.split(',')) {
      const list = keys.get(pattern) ?? [];
      list.push(Buffer.from(blob, 'base64'));
      keys.set(pattern, list);
    }
  }
  return keys;
}

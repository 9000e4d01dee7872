// The lab's hosts, seen the way VirtDeck sees them: over SSH (ssh2) with the credentials recorded in
// hosts.json, host keys checked against the lab's known_hosts, libvirt queried with virsh.
// The lab must already be up (the test runner or `npm run lab:up` brings it up); run as root.
import { readFile } from 'node:fs/promises';
import {
  Client,
  type ClientChannel,
  type ConnectConfig,
  type KeyboardInteractiveAuthMethod,
  type PasswordAuthMethod,
  type PublicKeyAuthMethod,
} from 'ssh2';
import type { Duplex } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { labPopulate, labVmName, readLabHosts, readLabKnownHosts, type LabHost } from '../lab/index.js';

const TEST_TIMEOUT_MS = 30_000;

const hosts = await readLabHosts();
const knownHosts = await readLabKnownHosts();
const byName = new Map(hosts.map((h) => [h.name, h]));
const openClients: Client[] = [];

afterAll(() => {
  for (const client of openClients) client.end();
});

interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function requireHost(name: string): LabHost {
  const host = byName.get(name);
  if (!host) throw new Error(`hosts.json has no host ${name}`);
  return host;
}

/** Exactly the auth method the host is configured for, so a fallback cannot hide a broken one. */
async function authMethod(host: LabHost): Promise<PublicKeyAuthMethod | PasswordAuthMethod | KeyboardInteractiveAuthMethod> {
  switch (host.auth) {
    case 'key':
      if (!host.keyFile) throw new Error(`${host.name}: auth key without keyFile`);
      return { type: 'publickey', username: host.user, key: await readFile(host.keyFile) };
    case 'password':
      return { type: 'password', username: host.user, password: host.password ?? '' };
    case 'keyboard-interactive':
      // PAM asks "Password: "; answer every prompt with the recorded password.
      return {
        type: 'keyboard-interactive',
        username: host.user,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => host.password ?? '')),
      };
  }
}

/** Opens a direct-tcpip channel through `via` to the host's sshd (how `behind` is reached). */
function tunnel(via: Client, host: LabHost): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, host.address, host.port, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}

/**
 * Connects with the recorded credentials. The host key must be one known_hosts lists for the
 * address — `trustedKeysOf` lets a test offer the wrong keys to prove a mismatch is refused.
 */
async function connect(host: LabHost, trustedKeysOf: LabHost = host): Promise<Client> {
  const trusted = knownHosts.get(trustedKeysOf.address) ?? [];
  let sock: Duplex | undefined;
  if (host.jumpHost) sock = await tunnel(await connect(requireHost(host.jumpHost)), host);
  const client = new Client();
  openClients.push(client);
  const config: ConnectConfig = {
    host: host.address,
    port: host.port,
    username: host.user,
    readyTimeout: 15_000,
    hostVerifier: (key: Buffer) => trusted.some((known) => known.equals(key)),
    authHandler: [await authMethod(host)],
    ...(sock ? { sock } : {}),
  };
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect(config);
  });
}

function exec(client: Client, command: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      const result: ExecResult = { code: null, stdout: '', stderr: '' };
      stream.on('data', (chunk: Buffer) => (result.stdout += chunk.toString('utf8')));
      stream.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
      stream.on('exit', (code: number | null) => (result.code = code));
      stream.on('close', () => resolve(result));
    });
  });
}

const virshList = (uri: string) => `virsh -c ${uri} list --all`;

describe('lab hosts.json', () => {
  it('records every host with the contract keys', () => {
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) {
      expect(typeof host.name).toBe('string');
      expect(host.address).toMatch(/^198\.18\.\d+\.\d+$/);
      expect(host.port).toBe(22);
      expect(typeof host.user).toBe('string');
      expect(['key', 'password', 'keyboard-interactive']).toContain(host.auth);
      expect(host.auth === 'key' ? typeof host.keyFile : host.keyFile).toBe(host.auth === 'key' ? 'string' : null);
      expect(host.auth === 'key' ? host.password : typeof host.password).toBe(host.auth === 'key' ? null : 'string');
      expect(host.jumpHost === null || byName.has(host.jumpHost)).toBe(true);
      expect(host.libvirtUri).toBe(host.role === 'test-driver' ? 'test:///var/lib/libvirt/vdlab-node.xml' : 'qemu:///system');
      expect(typeof host.kvm).toBe('boolean');
      expect(knownHosts.get(host.address)?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

describe('lab hosts over SSH', () => {
  for (const host of hosts) {
    const how = `${host.auth}${host.jumpHost ? ` via ${host.jumpHost}` : ''}`;

    if (host.role === 'test-driver') {
      it(`${host.name} (${how}): virsh serves the test driver from the node file on the host`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const client = await connect(host);
        const result = await exec(client, `virsh -c ${host.libvirtUri} list --all --name`);
        expect(result.code).toBe(0);
        expect(result.stdout).toContain(labVmName(host.name, 1));
        // No libvirtd on this host: the system URI has nobody to talk to.
        expect((await exec(client, virshList('qemu:///system'))).code).not.toBe(0);
        client.end();
      });
    } else if (host.libvirtRunning) {
      it(`${host.name} (${how}): virsh list --all works`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const client = await connect(host);
        expect((await exec(client, 'hostname')).stdout.trim()).toBe(host.name);
        const result = await exec(client, virshList(host.libvirtUri));
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/\bId\b/);
        expect(result.stdout).toMatch(/\bName\b/);
        client.end();
      });
    } else {
      it(`${host.name} (${how}): ssh works but libvirt is not running`, { timeout: TEST_TIMEOUT_MS }, async () => {
        const client = await connect(host);
        const result = await exec(client, virshList(host.libvirtUri));
        expect(result.code).not.toBe(0);
        expect(result.stderr).toMatch(/Failed to connect socket|No such file or directory/);
        client.end();
      });
    }
  }

  it('refuses a host whose key is not the one known_hosts lists', { timeout: TEST_TIMEOUT_MS }, async () => {
    const direct = hosts.filter((h) => h.jumpHost === null && h.auth === 'key');
    const [target, other] = direct;
    if (!target || !other) return; // needs two directly reachable key hosts
    await expect(connect(target, other)).rejects.toThrow(/verification failed/i);
  });
});

describe('lab:populate', () => {
  it('defines VMs on lab1 that virsh then lists', { timeout: TEST_TIMEOUT_MS }, async () => {
    const lab1 = requireHost('lab1');
    await labPopulate({ host: lab1.name, vms: 5 });
    const client = await connect(lab1);
    const result = await exec(client, `virsh -c ${lab1.libvirtUri} list --all --name`);
    expect(result.code).toBe(0);
    const names = result.stdout.split('\n').map((line) => line.trim());
    for (let i = 1; i <= 5; i++) expect(names).toContain(labVmName(lab1.name, i));
    client.end();
  });
});

describe('a lab host shares no files with this machine', () => {
  it('does not see a file written here in /tmp, /var/tmp, /root or a home, and this machine does not see its files', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { mkdtemp, rm, writeFile, stat } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const tag = `vd-shared-${process.pid}-${Date.now()}`;
    const lab1 = requireHost('lab1');
    const here = ['/tmp', '/var/tmp', '/root', `/home/${lab1.user}`].map((dir) => join(dir, tag));
    const scratch = await mkdtemp('/tmp/vd-shared-dir-');
    try {
      for (const file of here) await writeFile(file, 'written on the test machine\n');
      const client = await connect(lab1);
      // As the SSH user (what the app sees) and, for /root, through the host's own namespace view.
      const seen = await exec(client, here.map((file) => `test -e ${file} && echo SEEN ${file}`).join('; ') + `; test -e ${scratch} && echo SEEN ${scratch}; true`);
      expect(seen.stdout).toBe('');
      // And the other way: what the host writes in its /tmp stays there.
      expect((await exec(client, `echo host > /tmp/${tag}-from-host && cat /tmp/${tag}-from-host`)).stdout.trim()).toBe('host');
      await expect(stat(`/tmp/${tag}-from-host`)).rejects.toThrow();
      await exec(client, `rm -f /tmp/${tag}-from-host`);
      client.end();
    } finally {
      for (const file of here) await rm(file, { force: true });
      await rm(scratch, { recursive: true, force: true });
    }
  });
});

// SSH host profiles end to end below the UI: main's services against the lab's real sshd and
// libvirtd — host-key questions, passwords, keyboard-interactive, a jump host, a changed key,
// and a host whose SSH goes away and comes back by itself.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import type { HostInventory, HostProfile, HostProfileFields } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, labPopulate, readLabHosts, type LabHost } from '../lab/index.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';
import { dropSsh, restoreSsh } from '../support/labSshd.js';

const hosts = await readLabHosts();
const lab = (name: string): LabHost => hosts.find((host) => host.name === name)!;

let dir: string;
let app: App;
let watch: AppWatcher;
let labFingerprints: Map<string, string>;

function profileFields(host: LabHost, extra: Partial<HostProfileFields> = {}): HostProfileFields {
  const jump = host.jumpHost ? lab(host.jumpHost) : undefined;
  return {
    label: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    auth: host.auth,
    keyFile: host.keyFile ?? undefined,
    jumpHosts: jump ? [{ address: jump.address, port: jump.port, user: jump.user, auth: 'key', keyFile: jump.keyFile ?? undefined }] : [],
    uri: host.libvirtUri,
    sudo: false,
    folder: 'lab',
    tags: ['test'],
    rememberSecret: false,
    ...extra,
  };
}

async function addHost(host: LabHost, extra: Partial<HostProfileFields> = {}): Promise<HostProfile> {
  return (await app.registry.call('profiles.create', { fields: profileFields(host, extra) })) as HostProfile;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-sshhosts-'));
  await writeFile(join(dir, 'user_known_hosts'), '');
  labFingerprints = new Map();
  for (const line of (await readFile(labKnownHostsPath(), 'utf8')).split('\n').filter(Boolean)) {
    const [address, ...key] = line.split(' ');
    await writeFile(join(dir, 'k.pub'), key.join(' '));
    labFingerprints.set(address!, execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')]).toString().split(' ')[1]!);
  }
  app = await createApp(
    { mode: 'web', configDir: join(dir, 'config'), versions: {}, systemLocale: 'en-US', userKnownHosts: join(dir, 'user_known_hosts') },
    { includeLocal: false, includeDemo: false, retry: { baseMs: 200, capMs: 1000 } },
  );
  watch = new AppWatcher(app);
});

afterAll(async () => {
  watch?.dispose();
  await app?.dispose();
  await restoreSsh('lab1').catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('adding SSH hosts', () => {
  it('key auth: asks about the unknown host key with its fingerprint, then shows the host', async () => {
    const host = lab('lab1');
    const profile = await addHost(host);
    const prompt = await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'always' });
    expect(prompt).toMatchObject({ host: host.address, port: 22, keyType: 'ssh-ed25519', fingerprint: labFingerprints.get(host.address) });
    const summary = await watch.waitForStatus(profile.id, 'connected');
    expect(summary).toMatchObject({ hostname: 'lab1', address: host.address, folder: 'lab', tags: ['test'] });
    const inventory = (await app.registry.call('inventory.get', { hostId: profile.id })) as HostInventory;
    expect(inventory.networks.map((network) => network.name)).toContain('default');
    // Accepted for good: stored in the app's own known_hosts, never in the user's.
    expect(await readFile(join(dir, 'config', 'known_hosts'), 'utf8')).toContain(host.address);
    expect(await readFile(join(dir, 'user_known_hosts'), 'utf8')).toBe('');
  });

  it('password auth: a wrong password ends in auth-failed; the right one connects', async () => {
    const host = lab('pw');
    const profile = await addHost(host);
    await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'once' });
    await watch.answer(profile.id, 'secret', { kind: 'secret', value: 'definitely-wrong', remember: false });
    const failed = await watch.waitForStatus(profile.id, 'auth-failed');
    expect(failed.nextRetryAt).toBeUndefined();
    const retry = app.registry.call('hosts.reconnect', { hostId: profile.id });
    const asked = await watch.answer(profile.id, 'secret', { kind: 'secret', value: host.password ?? '', remember: true });
    expect(asked).toMatchObject({ secret: 'password', target: `${host.user}@${host.address}`, canRemember: false });
    await retry;
    await watch.waitForStatus(profile.id, 'connected');
    // Web mode keeps no secret on disk.
    expect(await readFile(join(dir, 'config', 'hosts.json'), 'utf8')).not.toContain(host.password ?? '<none>');
  });

  it('keyboard-interactive: the server prompts are relayed and answered', async () => {
    const host = lab('kbd');
    const profile = await addHost(host);
    await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'once' });
    const prompt = await watch.answer(profile.id, 'keyboard-interactive', { kind: 'keyboard-interactive', answers: [host.password ?? ''] });
    expect(prompt.kind === 'keyboard-interactive' && prompt.prompts[0]?.prompt).toMatch(/password/i);
    await watch.waitForStatus(profile.id, 'connected');
  });

  it('jump host: both host keys are asked about, in order, and the hidden host connects', async () => {
    const host = lab('behind');
    const jump = lab('jump');
    const profile = await addHost(host);
    const first = await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'once' });
    expect(first).toMatchObject({ host: jump.address });
    const second = await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'once' });
    expect(second).toMatchObject({ host: host.address, fingerprint: labFingerprints.get(host.address) });
    expect((await watch.waitForStatus(profile.id, 'connected')).hostname).toBe('behind');
  });

  it('a changed host key is refused without a question, until the old key is forgotten', async () => {
    const host = lab('lab3');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'impostor')]);
    const impostor = (await readFile(join(dir, 'impostor.pub'), 'utf8')).split(' ').slice(0, 2).join(' ');
    await writeFile(join(dir, 'user_known_hosts'), `${host.address} ${impostor}\n`);
    const profile = await addHost(host);
    const refused = await watch.waitForStatus(profile.id, 'host-key-changed');
    expect(refused.presentedKey).toEqual({ keyType: 'ssh-ed25519', fingerprint: labFingerprints.get(host.address) });
    expect(refused.nextRetryAt).toBeUndefined();
    const open = (await app.registry.call('prompts.list', {})) as { hostId: string }[];
    expect(open.filter((prompt) => prompt.hostId === profile.id)).toEqual([]);

    await app.registry.call('hosts.forgetHostKey', { hostId: profile.id });
    expect(await readFile(join(dir, 'user_known_hosts.old'), 'utf8')).toContain(impostor);
    const reconnect = app.registry.call('hosts.reconnect', { hostId: profile.id });
    await watch.answer(profile.id, 'host-key', { kind: 'host-key', decision: 'always' });
    await reconnect;
    await watch.waitForStatus(profile.id, 'connected');
  });

  it('bad profiles are refused in a typed error and nothing is added', async () => {
    const before = ((await app.registry.call('profiles.list', {})) as unknown[]).length;
    await expect(app.registry.call('profiles.create', { fields: { ...profileFields(lab('lab1')), port: 0 } })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(app.registry.call('profiles.create', { fields: { ...profileFields(lab('lab1')), auth: 'key', keyFile: undefined } })).rejects.toMatchObject({ code: 'invalid-profile' });
    expect(((await app.registry.call('profiles.list', {})) as unknown[]).length).toBe(before);
  });
});

describe('live state', () => {
  it('a VM started on the host itself with virsh start shows running, through libvirt events', async () => {
    const profiles = (await app.registry.call('profiles.list', {})) as HostProfile[];
    const lab1 = profiles.find((profile) => profile.label === 'lab1')!;
    await watch.waitForStatus(lab1.id, 'connected');
    const { defined, existing } = await labPopulate({ host: 'lab1', vms: 1 });
    const name = [...defined, ...existing][0]!;
    await labExec('lab1', ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
    const stateOf = (inventory: Pick<HostInventory, 'vms'>) => inventory.vms.find((vm) => vm.name === name)?.state;
    // The define itself arrives as an event too.
    await waitFor(`${name} to appear`, () => watch.heldInventory(lab1.id, (held) => stateOf(held) === 'shutoff') || undefined);
    const startedAt = Date.now();
    const result = await labExec('lab1', ['virsh', '-c', 'qemu:///system', 'start', name]);
    expect(result.code).toBe(0);
    await waitFor(`${name} running`, () =>
      watch.heldInventory(lab1.id, (held) => stateOf(held) === 'running', startedAt) || undefined,
    5_000);
    await labExec('lab1', ['virsh', '-c', 'qemu:///system', 'destroy', name]);
    await waitFor(`${name} shut off`, async () => stateOf((await app.registry.call('inventory.get', { hostId: lab1.id })) as HostInventory) === 'shutoff' || undefined, 5_000);
  });
});

describe('live definitions', () => {
  it('a VM redefined on the host (as `virsh edit` does) shows its new configuration', async () => {
    const profiles = (await app.registry.call('profiles.list', {})) as HostProfile[];
    const lab1 = profiles.find((profile) => profile.label === 'lab1')!;
    const name = 'lab1-vm0001';
    const vcpus = async () => ((await app.registry.call('inventory.get', { hostId: lab1.id })) as HostInventory).vms.find((vm) => vm.name === name)?.vcpus;
    const wanted = (await vcpus()) === 2 ? 1 : 2;
    // dumpxml, change the vCPU count, define: libvirt announces "Defined Updated".
    const script = `f=$(mktemp) && virsh -c qemu:///system dumpxml --inactive "$1" | sed "s|<vcpu\\([^>]*\\)>[0-9]*</vcpu>|<vcpu\\1>$2</vcpu>|" > "$f" && virsh -c qemu:///system define "$f" && rm -f "$f"`;
    const result = await labExec('lab1', ['sh', '-c', script, 'sh', name, String(wanted)]);
    expect(result.stdout).toContain('defined from');
    await waitFor(`${name} to show ${wanted} vCPUs`, async () => ((await vcpus()) === wanted ? true : undefined), 5_000);
  });
});

describe('a host that goes away', () => {
  it('turns disconnected/unreachable while the others stay live, and comes back by itself', async () => {
    const profiles = (await app.registry.call('profiles.list', {})) as HostProfile[];
    const lab1 = profiles.find((profile) => profile.label === 'lab1')!;
    const other = profiles.find((profile) => profile.label === 'behind')!;
    await watch.waitForStatus(lab1.id, 'connected');

    await dropSsh('lab1');
    const down = await watch.waitForStatus(lab1.id, ['disconnected', 'unreachable']);
    expect(down.nextRetryAt).toBeGreaterThan(0);
    await watch.waitForStatus(lab1.id, 'unreachable');
    // The others are untouched and still answer.
    expect((await watch.host(other.id))?.status).toBe('connected');
    await expect(app.registry.call('inventory.get', { hostId: other.id })).resolves.toMatchObject({ hostId: other.id });

    await restoreSsh('lab1');
    await watch.waitForStatus(lab1.id, 'connected', 30_000);
  });
});

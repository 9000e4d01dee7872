// "Use sudo -n": a lab account outside the libvirt group whose only sudo right is
// /usr/bin/virsh. Without sudo it is refused by libvirt (permission denied); with sudo the
// host connects, lists its VMs and stays live through libvirt events.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import type { HostInventory, HostProfile, HostProfileFields } from '../../preload/contract.js';
import { LAB_SUDO_USER, labExec, labKnownHostsPath, labPopulate, readLabHost } from '../lab/index.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';

let dir: string;
let app: App;
let watch: AppWatcher;

async function addLab2(sudo: boolean): Promise<HostProfile> {
  const host = await readLabHost('lab2');
  const fields: HostProfileFields = {
    label: sudo ? 'lab2 via sudo' : 'lab2 without sudo',
    address: host.address,
    port: host.port,
    user: LAB_SUDO_USER,
    auth: 'key',
    keyFile: host.keyFile ?? '',
    jumpHosts: [],
    uri: host.libvirtUri,
    sudo,
    folder: '',
    tags: [],
    rememberSecret: false,
  };
  return (await app.registry.call('profiles.create', { fields })) as HostProfile;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-sudo-'));
  app = await createApp(
    { mode: 'web', configDir: dir, versions: {}, systemLocale: 'en', userKnownHosts: labKnownHostsPath() },
    { includeLocal: false, includeDemo: false },
  );
  watch = new AppWatcher(app);
});

afterAll(async () => {
  watch?.dispose();
  await app?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('sudo -n for users outside the libvirt group', () => {
  it('without sudo: permission denied on the libvirt socket, with the reason', async () => {
    const profile = await addLab2(false);
    const host = await watch.waitForStatus(profile.id, ['permission-denied', 'error']);
    expect(host.status).toBe('permission-denied');
    expect(host.detail).toMatch(/permission denied|authentication/i);
  });

  it('with sudo: connects, lists the VMs, and follows a VM started on the host', async () => {
    await labPopulate({ host: 'lab2', vms: 2 });
    const profile = await addLab2(true);
    await watch.waitForStatus(profile.id, 'connected');
    const inventory = (await app.registry.call('inventory.get', { hostId: profile.id })) as HostInventory;
    const name = 'lab2-vm0002';
    expect(inventory.vms.map((vm) => vm.name)).toContain(name);
    await labExec('lab2', ['virsh', '-c', 'qemu:///system', 'destroy', name]).catch(() => undefined);
    // The event watcher runs virsh through sudo as well: a root-owned `virsh … event` appears.
    await waitFor('a root virsh event watcher', async () => {
      const found = await labExec('lab2', ['pgrep', '-u', 'root', '-f', 'virsh -c qemu:///system event --all --loop']);
      return found.code === 0 || undefined;
    }, 10_000);
    const started = Date.now();
    expect((await labExec('lab2', ['virsh', '-c', 'qemu:///system', 'start', name])).code).toBe(0);
    await waitFor(`${name} running via events`, () =>
      watch.heldInventory(profile.id, (held) => held.vms.some((vm) => vm.name === name && vm.state === 'running'), started) || undefined,
    10_000);
    // Actions go through sudo too.
    await app.registry.call('vm.action', { hostId: profile.id, name, action: 'destroy' });
    const after = (await app.registry.call('inventory.get', { hostId: profile.id })) as HostInventory;
    expect(after.vms.find((vm) => vm.name === name)?.state).toBe('shutoff');
  });
});

// The hostile-name corpus (as in hostileNames.test.ts) through every lifecycle action added for
// operating VMs — managed save and restore, discarding a saved state, autostart, reboot, a
// shutdown with its deadline (as one bulk task), force off — on real qemu guests on a lab host,
// each outcome read back on the host with `domstate --reason`, `dominfo` and `list --autostart`;
// no name ever runs as a command.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineMany } from '../../main/libvirt/definitions.js';
import { buildDomainXml } from '../../main/libvirt/models/domainBuilder.js';
import type { VmActionOutcome } from '../../preload/contract.js';
import { labExec, readLabHost } from '../lab/index.js';
import { startLabApp, type LabApp } from '../support/labApp.js';
import { hostileNames, MARKER_COUNT } from '../support/hostileNames.js';
import { forEachParallel } from '../support/parallel.js';

const HOST = 'lab3';
const tag = `${process.pid}${Date.now() % 100000}`;
const marker = (n: number) => `vd-pwned-life-${tag}-${n}`;

/** Shell and virsh metacharacters, quotes, dashes, CJK, emoji, 200 characters. */
const CORPUS = hostileNames(marker);
/** Names whose lifecycle runs at once (each name's own steps stay in order). */
const LIFECYCLE_PARALLEL = 4;

let lab: LabApp;
let hostId: string;

async function virsh(...argv: string[]): Promise<string> {
  const result = await labExec(HOST, ['virsh', '-c', 'qemu:///system', ...argv]);
  if (result.code !== 0) throw new Error(`virsh ${argv.join(' ')}: ${result.stderr}`);
  return result.stdout.replace(/\n$/, '');
}
const domstate = async (name: string) => (await virsh('domstate', '--reason', '--domain', name)).trim();
const managedSave = async (name: string) => /^Managed save:\s+yes$/m.test(await virsh('dominfo', '--domain', name));
const act = (name: string, action: string) => lab.app.registry.call('vm.action', { hostId, name, action } as never);

async function removeAll(): Promise<void> {
  for (const name of CORPUS) {
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'destroy', '--domain', name]).catch(() => undefined);
    await labExec(HOST, ['virsh', '-c', 'qemu:///system', 'undefine', '--managed-save', '--domain', name]).catch(() => undefined);
  }
}

beforeAll(async () => {
  lab = await startLabApp();
  hostId = await lab.addHost(HOST);
  await removeAll();
  const kvm = (await readLabHost(HOST)).kvm;
  const xmls = CORPUS.map((name) => buildDomainXml({ name, type: kvm ? 'kvm' : 'qemu', memoryKiB: 65536, vcpus: 1, arch: 'x86_64' }));
  const defined = await defineMany(lab.app.services.hosts.get(hostId).libvirt(), 'domain', xmls);
  expect(defined.map((result) => result.ok)).toEqual(CORPUS.map(() => true));
}, 120_000);

afterAll(async () => {
  await removeAll();
  await lab?.close();
});

describe('lifecycle actions on hostile names', () => {
  it('save and restore, discard, autostart, reboot, force off on every name', { timeout: 300_000 }, async () => {
    // Each name runs its whole sequence in order; LIFECYCLE_PARALLEL names at once (distinct
    // guests: libvirt acts on them independently, and the sequence per name is what is proven).
    const lifecycle = async (name: string): Promise<void> => {
      await act(name, 'start');
      expect(await domstate(name), name).toBe('running (booted)');
      await act(name, 'save');
      expect(await domstate(name), name).toBe('shut off (saved)');
      expect(await managedSave(name), name).toBe(true);
      await act(name, 'start');
      expect(await domstate(name), name).toBe('running (restored)');
      await act(name, 'reboot');
      expect(await domstate(name), name).toMatch(/^running/);
      await act(name, 'autostart-enable');
      expect((await virsh('list', '--all', '--autostart', '--name')).split('\n'), name).toContain(name);
      await act(name, 'autostart-disable');
      expect((await virsh('list', '--all', '--autostart', '--name')).split('\n'), name).not.toContain(name);
      await act(name, 'save');
      await act(name, 'discard-save');
      expect(await managedSave(name), name).toBe(false);
      await act(name, 'start');
      expect(await domstate(name), name).toBe('running (booted)');
    };
    await forEachParallel(CORPUS, LIFECYCLE_PARALLEL, lifecycle);
  });

  it('a shutdown of them all (nothing in them answers ACPI) is one task that times out per VM; force off ends it', { timeout: 120_000 }, async () => {
    const targets = CORPUS.map((name) => ({ hostId, name }));
    const outcomes = (await lab.app.registry.call('vm.bulkAction', { targets, action: 'shutdown', shutdownTimeoutS: 2 })) as VmActionOutcome[];
    expect(outcomes.map((outcome) => [outcome.name, outcome.error?.code])).toEqual(CORPUS.map((name) => [name, 'timeout']));
    const forced = (await lab.app.registry.call('vm.bulkAction', { targets, action: 'destroy' })) as VmActionOutcome[];
    expect(forced.every((outcome) => outcome.ok)).toBe(true);
    for (const name of CORPUS) expect(await domstate(name), name).toBe('shut off (destroyed)');
  });

  it('ran no name as a command', async () => {
    const host = await readLabHost(HOST);
    const home = execFileSync('getent', ['passwd', host.user]).toString().split(':')[5] ?? '/nonexistent';
    for (let n = 1; n <= MARKER_COUNT; n += 1) {
      for (const place of [join(home, marker(n)), join('/tmp', marker(n)), join(process.cwd(), marker(n))]) {
        expect(existsSync(place)).toBe(false);
        expect((await labExec(HOST, ['test', '-e', place])).code).not.toBe(0);
      }
    }
  });
});

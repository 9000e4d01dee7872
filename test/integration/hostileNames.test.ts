// The hostile-name corpus as real VMs on a lab host (qemu driver, over SSH through VirtDeck's
// own services): defined through the app's file primitive (the host has a private /tmp and
// shares no file with this machine), every name is listed exactly, every action works on it,
// and no name ever runs as a command — the marker files they try to create must not exist
// afterwards, here or on the host.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import { buildDomainXml } from '../../main/libvirt/models/domainBuilder.js';
import { defineMany } from '../../main/libvirt/definitions.js';
import { readDomainXml } from '../../main/libvirt/domains.js';
import { DOMAIN, DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import type { HostInventory, HostProfile } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, readLabHost } from '../lab/index.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';
import { hostileNames, MARKER_COUNT } from '../support/hostileNames.js';
import { forEachParallel } from '../support/parallel.js';

const tag = `${process.pid}${Date.now() % 100000}`;
// libvirt refuses '/' in names, so the markers are relative: a shell that ran one would create
// it in its working directory — the lab user's home over SSH.
const marker = (n: number) => `vd-pwned-${tag}-${n}`;
const markerPlaces = (n: number, home: string) => [join(home, marker(n)), join('/tmp', marker(n)), join(process.cwd(), marker(n))];

/** Shell and virsh metacharacters, quotes, dashes, CJK, emoji, 200 characters. */
const CORPUS = hostileNames(marker);
/** Names acted on at once (each name's own actions stay in order). */
const ACTIONS_PARALLEL = 4;

let app: App;
let watch: AppWatcher;
let dir: string;
let hostId: string;

beforeAll(async () => {
  const host = await readLabHost('lab2');
  dir = await mkdtemp(join(tmpdir(), 'vd-hostile-'));
  const config = join(dir, 'config');
  app = await createApp({ mode: 'web', configDir: config, versions: {}, systemLocale: 'en', userKnownHosts: labKnownHostsPath() }, { includeLocal: false, includeDemo: false });
  watch = new AppWatcher(app);
  const profile = (await app.registry.call('profiles.create', {
    fields: { label: 'lab2', address: host.address, port: host.port, user: host.user, auth: 'key', keyFile: host.keyFile ?? '', jumpHosts: [], uri: host.libvirtUri, sudo: false, folder: '', tags: [], rememberSecret: false },
  })) as HostProfile;
  hostId = profile.id;
  await watch.waitForStatus(hostId, 'connected');
});

afterAll(async () => {
  // Leave the lab host as it was.
  for (const name of CORPUS) {
    await app?.registry.call('vm.action', { hostId, name, action: 'destroy' }).catch(() => undefined);
    await labExec('lab2', ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]).catch(() => undefined);
  }
  watch?.dispose();
  await app?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('hostile VM names on a real qemu host', () => {
  it('defines every name through the file primitive, lists each exactly, runs every action on each, and runs no command', { timeout: 240_000 }, async () => {
    const host = await readLabHost('lab2');
    for (const name of CORPUS) await labExec('lab2', ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', name]).catch(() => undefined);
    // The XML goes to the host through the app's own file primitive (the host shares no file
    // with this machine), and one virsh round trip defines them all.
    const xmls = CORPUS.map((name) => buildDomainXml({ name, type: host.kvm ? 'kvm' : 'qemu', memoryKiB: 65536, vcpus: 1, arch: 'x86_64' }));
    const defined = await defineMany(app.services.hosts.get(hostId).libvirt(), 'domain', xmls);
    expect(defined.map((result) => result.ok)).toEqual(CORPUS.map(() => true));
    // Nothing was left behind in the host's /tmp.
    expect((await labExec('lab2', ['sh', '-c', 'ls -A /tmp | grep -c "^virtdeck-" || true'])).stdout.trim()).toBe('0');

    const inventory = await waitFor('all names listed', async () => {
      const inv = (await app.registry.call('inventory.get', { hostId })) as HostInventory;
      return CORPUS.every((name) => inv.vms.some((vm) => vm.name === name)) ? inv : undefined;
    });
    expect(inventory.vms.filter((vm) => CORPUS.includes(vm.name)).map((vm) => vm.name).sort()).toEqual([...CORPUS].sort());

    // Each name's actions in order; ACTIONS_PARALLEL names at once (distinct guests).
    await forEachParallel(CORPUS, ACTIONS_PARALLEL, async (name) => {
      for (const action of ['start', 'suspend', 'resume', 'destroy'] as const) {
        await app.registry.call('vm.action', { hostId, name, action });
      }
      const after = (await app.registry.call('inventory.get', { hostId })) as HostInventory;
      expect(after.vms.find((vm) => vm.name === name)?.state, name).toBe('shutoff');
    });
    // Each definition reads back exactly, however long or strange its name.
    for (const name of CORPUS) {
      const xml = await readDomainXml(app.services.hosts.get(hostId).libvirt(), name, { inactive: true });
      expect(DomainDocument.parse(xml).get(DOMAIN.name)).toBe(name);
    }
    const home = execFileSync('getent', ['passwd', host.user]).toString().split(':')[5] ?? '/nonexistent';
    for (let n = 1; n <= MARKER_COUNT; n += 1) {
      for (const place of markerPlaces(n, home)) {
        expect(existsSync(place)).toBe(false);
        expect((await labExec('lab2', ['test', '-e', place])).code).not.toBe(0);
      }
    }
  });
});

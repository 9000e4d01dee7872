// The hostile-name corpus as real VMs on a lab host (qemu driver, over SSH through VirtDeck's
// own services): every name is listed exactly, every action works on it, and no name ever runs
// as a command — the marker files they try to create must not exist afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../main/app.js';
import { buildDomainXml } from '../../main/libvirt/models/domainBuilder.js';
import { quoteArg } from '../../main/remote/quote.js';
import type { HostInventory, HostProfile } from '../../preload/contract.js';
import { labExec, labKnownHostsPath, readLabHost } from '../lab/index.js';
import { AppWatcher, waitFor } from '../support/appEvents.js';

const tag = `${process.pid}${Date.now() % 100000}`;
// libvirt refuses '/' in names, so the markers are relative: a shell that ran one would create
// it in its working directory — the lab user's home over SSH.
const marker = (n: number) => `vd-pwned-${tag}-${n}`;
const markerPlaces = (n: number, home: string) => [join(home, marker(n)), join('/tmp', marker(n)), join(process.cwd(), marker(n))];

/** Shell and virsh metacharacters, quotes, dashes, CJK, emoji, 200 characters. */
const CORPUS = [
  'with space',
  "it's",
  'say "hi"',
  `$(touch ${marker(1)})`,
  `\`touch ${marker(2)}\``,
  `a;touch ${marker(3)}`,
  `a|touch ${marker(4)}`,
  `a&touch ${marker(5)}&`,
  'back\\slash',
  '-leading-dash',
  '--option-like',
  '中文虚拟机',
  'emoji 🚀 vm',
  `x${'y'.repeat(198)}z`,
  '  padded  ',
  '$HOME*?~#!{a,b}',
];

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
  it('defines every name, lists each exactly, runs every action on each, and runs no command', async () => {
    const host = await readLabHost('lab2');
    const files: string[] = [];
    for (const [index, name] of CORPUS.entries()) {
      const file = `/tmp/vd-hostile-${tag}-vm${index}.xml`;
      const xml = buildDomainXml({ name, type: host.kvm ? 'kvm' : 'qemu', memoryKiB: 65536, vcpus: 1, arch: 'x86_64' });
      await labExec('lab2', ['sh', '-c', 'cat > "$1" && chmod 644 "$1"', 'sh', file], { input: xml });
      files.push(file);
    }
    // Define through the host's own virsh over SSH (the virsh-shell stream), quoted by the one function.
    const defineResults = await defineAll(files);
    expect(defineResults).toEqual(CORPUS.map(() => true));

    const inventory = await waitFor('all names listed', async () => {
      const inv = (await app.registry.call('inventory.get', { hostId })) as HostInventory;
      return CORPUS.every((name) => inv.vms.some((vm) => vm.name === name)) ? inv : undefined;
    });
    expect(inventory.vms.filter((vm) => CORPUS.includes(vm.name)).map((vm) => vm.name).sort()).toEqual([...CORPUS].sort());

    for (const name of CORPUS) {
      for (const action of ['start', 'suspend', 'resume', 'destroy'] as const) {
        await app.registry.call('vm.action', { hostId, name, action });
      }
      const after = (await app.registry.call('inventory.get', { hostId })) as HostInventory;
      expect(after.vms.find((vm) => vm.name === name)?.state).toBe('shutoff');
    }
    const home = execFileSync('getent', ['passwd', host.user]).toString().split(':')[5] ?? '/nonexistent';
    for (let n = 1; n <= 5; n += 1) for (const place of markerPlaces(n, home)) expect(existsSync(place)).toBe(false);
  });
});

/** Defines each file with `virsh define` typed into the host's virsh-shell stream. */
async function defineAll(files: string[]): Promise<boolean[]> {
  const results: boolean[] = [];
  for (const [index, file] of files.entries()) {
    await labExec('lab2', ['virsh', '-c', 'qemu:///system', 'undefine', '--domain', CORPUS[index]!]).catch(() => undefined);
    const stream = await app.registry.openStream('host.virshShell', { hostId });
    const output: string[] = [];
    stream.onData((chunk) => output.push(Buffer.from(chunk).toString()));
    const closed = new Promise<void>((resolve) => stream.onClose(() => resolve()));
    stream.write(new TextEncoder().encode(`define --file ${quoteArg(file)}\nquit\n`));
    await closed;
    results.push(output.join('').includes('defined from'));
  }
  return results;
}

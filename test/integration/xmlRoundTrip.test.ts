// XML as a document, against a real libvirtd (qemu driver) on a lab host: real definitions with
// many devices — the fixtures and the lab's own VMs — survive read → no change → define →
// dumpxml with nothing lost, and each typed change changes exactly one thing in what libvirt
// keeps. Every definition reaches the host through the file primitive.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineDomain, readDomainXml, undefineDomain } from '../../main/libvirt/domains.js';
import type { LibvirtHost } from '../../main/libvirt/libvirtHost.js';
import { defineNetwork, readNetworkXml, undefineNetwork } from '../../main/libvirt/networks.js';
import { definePool, readPoolXml, startPool, stopPool, undefinePool } from '../../main/libvirt/pools.js';
import { createSnapshot, deleteSnapshot, readSnapshotXml } from '../../main/libvirt/snapshots.js';
import { createVolume, deleteVolume, readVolumeXml } from '../../main/libvirt/volumes.js';
import { DOMAIN, DomainDocument } from '../../main/libvirt/xml/domainDocument.js';
import { DomainSnapshotDocument } from '../../main/libvirt/xml/domainSnapshotDocument.js';
import { NetworkDocument } from '../../main/libvirt/xml/networkDocument.js';
import { StoragePoolDocument } from '../../main/libvirt/xml/storagePoolDocument.js';
import { StorageVolumeDocument } from '../../main/libvirt/xml/storageVolumeDocument.js';
import { labExec, labPopulate, labVmName, readLabHost } from '../lab/index.js';
import { diffXml } from '../support/canonicalXml.js';
import { startLabApp, type LabApp } from '../support/labApp.js';

const HOST = 'lab3';
const tag = randomBytes(3).toString('hex');
const fixture = (name: string): string => readFileSync(new URL(`../unit/fixtures/${name}`, import.meta.url), 'utf8');

let lab: LabApp;
let host: LibvirtHost;
let kvm: boolean;
const undo: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  lab = await startLabApp();
  const hostId = await lab.addHost(HOST);
  host = lab.app.services.hosts.get(hostId).libvirt();
  kvm = (await readLabHost(HOST)).kvm;
});

afterAll(async () => {
  for (const step of undo.reverse()) await step().catch(() => undefined);
  await lab?.close();
});

/** A fixture domain made unique for this run, and runnable here (qemu where there is no KVM). */
function prepare(xml: string): DomainDocument {
  const document = DomainDocument.parse(xml);
  document.setName(`${document.get(DOMAIN.name) ?? 'vm'}-${tag}`);
  document.set(DOMAIN.uuid, randomUUID());
  if (!kvm) document.set(DOMAIN.type, 'qemu');
  return document;
}

async function defineFresh(xml: string, suffix = ''): Promise<string> {
  const document = prepare(xml);
  const name = `${document.get(DOMAIN.name) ?? ''}${suffix}`;
  document.setName(name);
  await defineDomain(host, document.toXml());
  undo.push(() => undefineDomain(host, name, { nvram: true }));
  // libvirt settles a new definition over one more define of its own output: the first define
  // adds the PCIe root ports the devices need, the second sorts them in among the controllers.
  // (Redefining libvirt's raw dumpxml shows the same, without the document layer.)
  await defineDomain(host, await readDomainXml(host, name, { inactive: true }));
  return name;
}

/** What libvirt keeps, unchanged by us: read, parse, serialise, define again, read again. */
async function roundTrip(name: string): Promise<{ before: string; after: string }> {
  const before = await readDomainXml(host, name, { inactive: true });
  await defineDomain(host, DomainDocument.parse(before).toXml());
  return { before, after: await readDomainXml(host, name, { inactive: true }) };
}

/** One typed change, defined, read back: what differs in libvirt's own XML. */
async function changeOnHost(name: string, change: (document: DomainDocument) => void): Promise<string[]> {
  const before = await readDomainXml(host, name, { inactive: true });
  const document = DomainDocument.parse(before);
  change(document);
  await defineDomain(host, document.toXml());
  return diffXml(before, await readDomainXml(host, name, { inactive: true })).sort();
}

describe('domains: read → define → dumpxml loses nothing', () => {
  it.each(['domain-kvm-full.xml', 'domain-typical.xml', 'domain-lab.xml'])('%s', async (file) => {
    const name = await defineFresh(fixture(file));
    const { before, after } = await roundTrip(name);
    expect(before).toContain('<devices>');
    expect(diffXml(before, after)).toEqual([]);
  });

  it("the lab's own VMs (defined by lab:populate)", async () => {
    await labPopulate({ host: HOST, vms: 1 });
    const { before, after } = await roundTrip(labVmName(HOST, 1));
    expect(diffXml(before, after)).toEqual([]);
  });
});

describe('domains: each typed change changes exactly one thing in what libvirt keeps', () => {
  let name: string;
  beforeAll(async () => {
    name = await defineFresh(fixture('domain-kvm-full.xml'), '-edits');
  });

  it.each<[string, (document: DomainDocument) => void, string[]]>([
    ['title', (d) => d.setTitle(`Web ${tag}`), ['~ /domain/title/text()']],
    ['description', (d) => d.setDescription('changed on a real host'), ['~ /domain/description/text()']],
    ['memory', (d) => d.setMemory(6 * 1024 * 1024), ['~ /domain/memory/text()']],
    // The fixture's CPU topology (1×2×2) fixes the maximum at 4; libvirt refuses anything else.
    ['vcpus online', (d) => d.setVcpus({ max: 4, current: 3 }), ['~ /domain/vcpu/@current']],
    ['disk file', (d) => d.setDiskSource('vda', { type: 'file', file: `/var/lib/libvirt/images/moved-${tag}.qcow2` }), ['~ /domain/devices/disk[1]/source/@file']],
    ['interface network', (d) => d.setInterfaceSource('52:54:00:6b:3c:01', { type: 'network', network: `other-${tag}` }), ['~ /domain/devices/interface[1]/source/@network']],
    ['CD-ROM ejected', (d) => d.setDiskSource('sda', undefined), ['- /domain/devices/disk[5]/source']],
    ['TPM removed', (d) => d.removeDevice({ kind: 'tpm' }), ['- /domain/devices/tpm']],
    ['random number generator removed', (d) => d.removeDevice({ kind: 'rng' }), ['- /domain/devices/rng']],
  ])('%s', async (_what, change, expected) => {
    expect(await changeOnHost(name, change)).toEqual(expected.sort());
  });

  it('hostile text in a title and description survives exactly', async () => {
    const hostile = `it's "quoted" <b>&amp; $(touch x) \`y\` 中文 🚀  padded  `;
    await changeOnHost(name, (d) => {
      d.setTitle(hostile.replace(/\n/g, ' '));
      d.setDescription(`${hostile}\nsecond line`);
    });
    const document = DomainDocument.parse(await readDomainXml(host, name, { inactive: true }));
    expect(document.get(DOMAIN.title)).toBe(hostile);
    expect(document.get(DOMAIN.description)).toBe(`${hostile}\nsecond line`);
  });
});

describe('networks, pools, volumes and snapshots', () => {
  it('a NAT network with DHCP hosts and IPv6 round-trips, and a typed change changes one thing', async () => {
    const document = NetworkDocument.parse(fixture('network-nat.xml'));
    const name = `nat-${tag}`;
    document.setName(name);
    document.setBridge(`vdrt${tag.slice(0, 4)}`);
    // The fixture's UUID would clash across runs; libvirt makes one when there is none.
    document.root.getElementsByTagName('uuid')[0]?.parentNode?.removeChild(document.root.getElementsByTagName('uuid')[0]!);
    await defineNetwork(host, document.toXml());
    undo.push(() => undefineNetwork(host, name));
    const before = await readNetworkXml(host, name, { inactive: true });
    await defineNetwork(host, NetworkDocument.parse(before).toXml());
    const after = await readNetworkXml(host, name, { inactive: true });
    expect(diffXml(before, after)).toEqual([]);
    expect(before).toContain('<host ');

    const changed = NetworkDocument.parse(after);
    changed.setBridge(`vdrx${tag.slice(0, 4)}`);
    await defineNetwork(host, changed.toXml());
    expect(diffXml(after, await readNetworkXml(host, name, { inactive: true }))).toEqual(['~ /network/bridge/@name']);
  });

  it('a dir pool, a qcow2 volume with a backing store, and a snapshot round-trip', { timeout: 60_000 }, async () => {
    const dir = `/var/tmp/vd-pool-${tag}`;
    await labExec(HOST, ['mkdir', '-p', dir]);
    undo.push(() => labExec(HOST, ['rm', '-rf', dir]));
    const pool = `pool-${tag}`;
    const poolDocument = StoragePoolDocument.parse(fixture('pool-dir.xml'));
    poolDocument.setName(pool);
    poolDocument.setTargetPath(dir);
    poolDocument.root.getElementsByTagName('uuid')[0]?.parentNode?.removeChild(poolDocument.root.getElementsByTagName('uuid')[0]!);
    await definePool(host, poolDocument.toXml());
    undo.push(() => undefinePool(host, pool));
    await startPool(host, pool);
    undo.push(() => stopPool(host, pool));
    const poolBefore = await readPoolXml(host, pool, { inactive: true });
    await definePool(host, StoragePoolDocument.parse(poolBefore).toXml());
    // Capacity, allocation and free space are measured afresh by libvirt, not kept.
    const measured = /^~ \/pool\/(capacity|allocation|available)\/text\(\)$/;
    expect(diffXml(poolBefore, await readPoolXml(host, pool, { inactive: true })).filter((line) => !measured.test(line))).toEqual([]);

    // A base volume, then the fixture's qcow2 overlay on it.
    const base = StorageVolumeDocument.parse(fixture('volume-qcow2.xml'));
    base.setName('base.qcow2');
    base.root.getElementsByTagName('backingStore')[0]?.parentNode?.removeChild(base.root.getElementsByTagName('backingStore')[0]!);
    base.setCapacity(64 * 1024 * 1024);
    await createVolume(host, pool, base.toXml());
    undo.push(() => deleteVolume(host, pool, 'base.qcow2'));
    const overlay = StorageVolumeDocument.parse(fixture('volume-qcow2.xml'));
    overlay.setName('overlay.qcow2');
    overlay.setCapacity(64 * 1024 * 1024);
    overlay.setBackingStore({ path: `${dir}/base.qcow2`, format: 'qcow2' });
    await createVolume(host, pool, overlay.toXml());
    undo.push(() => deleteVolume(host, pool, 'overlay.qcow2'));
    const volume = await readVolumeXml(host, pool, 'overlay.qcow2');
    expect(volume).toContain(`${dir}/base.qcow2`);
    expect(diffXml(volume, StorageVolumeDocument.parse(volume).toXml())).toEqual([]);

    // A shut-off domain on the overlay, and an internal snapshot of it.
    const domainDocument = prepare(fixture('domain-lab.xml'));
    domainDocument.setName(`${domainDocument.get(DOMAIN.name) ?? ''}-snap`);
    domainDocument.addDevice({ kind: 'disk', source: { type: 'file', file: `${dir}/overlay.qcow2` }, target: { dev: 'vda', bus: 'virtio' }, driver: { format: 'qcow2' } });
    const domain = domainDocument.get(DOMAIN.name) ?? '';
    await defineDomain(host, domainDocument.toXml());
    undo.push(() => undefineDomain(host, domain, { nvram: true }));
    const snapshot = DomainSnapshotDocument.parse(`<domainsnapshot><name>before-${tag}</name><description>taken by the round-trip test</description></domainsnapshot>`);
    await createSnapshot(host, domain, snapshot.toXml());
    undo.push(() => deleteSnapshot(host, domain, `before-${tag}`));
    const snapshotXml = await readSnapshotXml(host, domain, `before-${tag}`);
    expect(snapshotXml).toContain('<description>taken by the round-trip test</description>');
    expect(diffXml(snapshotXml, DomainSnapshotDocument.parse(snapshotXml).toXml())).toEqual([]);
  });
});

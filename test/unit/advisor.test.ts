// The fleet advisor's pure parts: the domain model's new fields, each rule over fake hosts,
// the host facts parsers (clock, KSM), the export and the new volume's name.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsCsv, csvField } from '../../main/advisor/findingsExport.js';
import { linuxWithVirtio } from '../../main/advisor/osVirtio.js';
import { clockFindings, computeFindings, countsByHost, hostFindings, macCollisions, vmFindings, type AdvisorHostInput, type AdvisorVmInput } from '../../main/advisor/rules.js';
import { clockOffset, parseClockAndKsm } from '../../main/libvirt/advisorHostFacts.js';
import { parseDomainXml, type DomainDefinition } from '../../main/libvirt/models/domain.js';
import { qcow2Name } from '../../main/services/advisor/remedies.js';
import { DEFAULT_ADVISOR_SETTINGS, type AdvisorHostFacts, type AdvisorReport, type HostSummary } from '../../preload/contract.js';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const DEBIAN = 'http://debian.org/debian/12';

function definition(patch: Partial<DomainDefinition> = {}): DomainDefinition {
  return { name: 'vm', uuid: 'u', type: 'kvm', vcpus: 1, memoryKiB: 1024, maxMemoryKiB: 1024, macs: [], disks: [], nics: [], osId: DEBIAN, ...patch };
}

function vm(name: string, patch: Partial<AdvisorVmInput> = {}, defPatch: Partial<DomainDefinition> = {}): AdvisorVmInput {
  const uuid = `uuid-${name}`;
  return { name, uuid, state: 'shutoff', autostart: false, vcpus: 1, hasSnapshots: false, definition: definition({ name, uuid, ...defPatch }), ...patch };
}

function facts(hostId: string, patch: Partial<AdvisorHostFacts> = {}): AdvisorHostFacts {
  return { hostId, threads: 4, memoryKiB: 8 * 1024 * 1024, kvmUsable: true, ksm: { running: false, pagesSharing: 0 }, clockOffsetMs: 0, clockUncertaintyMs: 1, measuredAt: 0, ...patch };
}

function host(hostId: string, vms: AdvisorVmInput[], patch: Partial<AdvisorHostFacts> = {}): AdvisorHostInput {
  return { hostId, label: hostId.toUpperCase(), vms, facts: facts(hostId, patch) };
}

const disk = (patch: Partial<DomainDefinition['disks'][number]>) => ({ device: 'disk', type: 'file', target: 'vda', bus: 'virtio', format: 'qcow2', cache: '', io: '', path: '/img/a', ...patch });
const nic = (mac: string, model = 'virtio') => ({ mac, model, type: 'network', source: 'default' });

describe('domain model for the advisor', () => {
  it('reads max memory, the libosinfo id, disks and NICs in one walk', () => {
    const domain = parseDomainXml(fixture('domain-kvm-full.xml'));
    expect(domain.osId).toBe(DEBIAN);
    expect(domain.maxMemoryKiB).toBeGreaterThanOrEqual(domain.memoryKiB);
    expect(domain.disks.slice(0, 5)).toEqual([
      { device: 'disk', type: 'file', target: 'vda', bus: 'virtio', format: 'qcow2', cache: '', io: '', path: '/var/lib/libvirt/images/web01.qcow2' },
      { device: 'disk', type: 'block', target: 'vdb', bus: 'virtio', format: 'raw', cache: 'none', io: 'native', path: '/dev/vg0/web01-data' },
      { device: 'disk', type: 'network', target: 'vdc', bus: 'virtio', format: 'raw', cache: '', io: '' },
      { device: 'disk', type: 'volume', target: 'vdd', bus: 'virtio', format: 'qcow2', cache: '', io: '', pool: 'default', volume: 'web01-scratch.qcow2' },
      { device: 'cdrom', type: 'file', target: 'sda', bus: 'sata', format: 'raw', cache: '', io: '', path: '/var/lib/libvirt/boot/debian-12.5.0-amd64-netinst.iso' },
    ]);
    expect(domain.nics.slice(0, 2)).toEqual([
      { mac: '52:54:00:6b:3c:01', type: 'network', model: 'virtio', source: 'default' },
      { mac: '52:54:00:6b:3c:02', type: 'bridge', model: 'virtio', source: 'br0' },
    ]);
    expect(domain.macs).toEqual(domain.nics.map((item) => item.mac).filter(Boolean));
  });

  it('reads memory without a unit as KiB, and no metadata as no OS id', () => {
    const domain = parseDomainXml("<domain type='qemu'><name>x</name><memory>2048</memory></domain>");
    expect(domain.maxMemoryKiB).toBe(2048);
    expect(domain.osId).toBeUndefined();
  });
});

describe('which OSes support virtio', () => {
  it.each([
    [DEBIAN, true],
    ['http://debian.org/debian/4', false],
    ['http://ubuntu.com/ubuntu/22.04', true],
    ['http://redhat.com/rhel/5.2', false],
    ['http://redhat.com/rhel/9.2', true],
    ['http://archlinux.org/archlinux/rolling', true],
    ['http://microsoft.com/win/10', false],
    [undefined, false],
  ])('%s → %s', (id, expected) => expect(linuxWithVirtio(id)).toBe(expected));
});

describe('rules', () => {
  it('MAC collisions across hosts: one finding, remedy on a shut-off guest', () => {
    const a = vm('a', { state: 'running' }, { macs: ['52:54:00:00:00:01'], nics: [nic('52:54:00:00:00:01')] });
    const b = vm('b', {}, { macs: ['52:54:00:00:00:01'], nics: [nic('52:54:00:00:00:01')] });
    const c = vm('c', {}, { macs: ['52:54:00:00:00:02'], nics: [nic('52:54:00:00:00:02')] });
    const list = macCollisions([host('h1', [a, c]), host('h2', [b])]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'mac-collision:52:54:00:00:00:01', severity: 'critical', hostIds: ['h1', 'h2'], remedy: { kind: 'new-mac', vm: { name: 'b', hostId: 'h2' }, afterRestart: false } });
    expect(list[0]!.params).toMatchObject({ mac: '52:54:00:00:00:01', count: '2', vms: 'a (H1), b (H2)' });
  });

  it('CPU overcommit: warning above 1×, critical above the ratio; autostart counted apart', () => {
    const running = (n: number, vcpus: number) => Array.from({ length: n }, (_, i) => vm(`r${i}`, { state: 'running', vcpus }));
    expect(hostFindings(host('h', running(4, 1)), DEFAULT_ADVISOR_SETTINGS).filter((f) => f.rule === 'cpu-overcommit')).toEqual([]);
    const warn = hostFindings(host('h', running(3, 2)), DEFAULT_ADVISOR_SETTINGS).find((f) => f.rule === 'cpu-overcommit');
    expect(warn).toMatchObject({ severity: 'warning', params: { vcpus: '6', threads: '4', ratio: '1.50', limit: '4.00' } });
    const crit = hostFindings(host('h', running(3, 2)), { ...DEFAULT_ADVISOR_SETTINGS, cpuRatio: 1.2 }).find((f) => f.rule === 'cpu-overcommit');
    expect(crit?.severity).toBe('critical');
    const autostart = Array.from({ length: 5 }, (_, i) => vm(`a${i}`, { autostart: true }, { vcpus: 2 }));
    const found = hostFindings(host('h', autostart), DEFAULT_ADVISOR_SETTINGS);
    expect(found.map((f) => f.rule)).toEqual(['cpu-overcommit-autostart']);
    expect(found[0]!.params.vcpus).toBe('10');
  });

  it('memory overcommit counts active guests’ maximum memory, with KSM', () => {
    const guests = [vm('a', { state: 'running' }, { maxMemoryKiB: 5 * 1024 * 1024 }), vm('b', { state: 'paused' }, { maxMemoryKiB: 5 * 1024 * 1024 }), vm('c', {}, { maxMemoryKiB: 50 * 1024 * 1024 })];
    const off = hostFindings(host('h', guests, { threads: 64 }), DEFAULT_ADVISOR_SETTINGS);
    expect(off).toHaveLength(1);
    expect(off[0]).toMatchObject({ rule: 'memory-overcommit', severity: 'critical', params: { guestGiB: '10.0', hostGiB: '8.0', ratio: '1.25', ksm: 'off' } });
    const on = hostFindings(host('h', guests, { threads: 64, ksm: { running: true, pagesSharing: 262144 } }), DEFAULT_ADVISOR_SETTINGS);
    expect(on[0]).toMatchObject({ severity: 'warning', params: { ksm: 'on', ksmSharedGiB: '1.0' } });
  });

  it('disks: raw with snapshots, risky cache, slow bus on Linux', () => {
    const disks = [disk({ target: 'vda', format: 'raw', cache: 'unsafe' }), disk({ target: 'sda', bus: 'sata', cache: 'writeback' }), disk({ target: 'hdc', device: 'cdrom', bus: 'ide', format: 'raw' })];
    const h = host('h', []);
    const ids = (list: ReturnType<typeof vmFindings>) => list.map((f) => `${f.id} ${f.severity} ${f.remedy?.kind}`);
    expect(ids(vmFindings(h, vm('x', { hasSnapshots: true }, { disks })))).toEqual([
      'raw-disk-snapshots:h/uuid-x/vda warning convert-qcow2',
      'disk-cache:h/uuid-x/vda critical disk-cache-none',
      'disk-cache:h/uuid-x/sda warning disk-cache-none',
      'disk-bus:h/uuid-x/sda warning disk-bus-virtio',
    ]);
    // No snapshots: raw is fine; Windows: the bus stays.
    expect(ids(vmFindings(h, vm('x', {}, { disks, osId: 'http://microsoft.com/win/10' })))).toEqual(['disk-cache:h/uuid-x/vda critical disk-cache-none', 'disk-cache:h/uuid-x/sda warning disk-cache-none']);
  });

  it('emulated NICs on virtio-capable OSes only', () => {
    const nics = [nic('52:54:00:00:00:0a', 'rtl8139'), nic('52:54:00:00:00:0b', 'e1000'), nic('52:54:00:00:00:0c', 'virtio')];
    expect(vmFindings(host('h', []), vm('x', {}, { nics })).map((f) => f.params.model)).toEqual(['rtl8139', 'e1000']);
    expect(vmFindings(host('h', []), vm('x', {}, { nics, osId: undefined }))).toEqual([]);
  });

  it('accelerator: qemu where KVM is usable, kvm where it is not, nothing when unknown', () => {
    const rules = (type: string, kvmUsable: boolean | null) => vmFindings(host('h', [], { kvmUsable }), vm('x', {}, { type })).map((f) => `${f.rule} ${f.remedy?.kind}`);
    expect(rules('qemu', true)).toEqual(['domain-type-qemu domain-type-kvm']);
    expect(rules('kvm', false)).toEqual(['domain-type-kvm domain-type-qemu']);
    expect(rules('qemu', false)).toEqual([]);
    expect(rules('kvm', true)).toEqual([]);
    expect(rules('kvm', null)).toEqual([]);
  });

  it('clocks: a host off by more than 1 s, and the spread between hosts', () => {
    const hosts = [host('a', [], { clockOffsetMs: 200 }), host('b', [], { clockOffsetMs: -900 }), host('c', [], { clockOffsetMs: null })];
    expect(clockFindings(hosts).map((f) => [f.id, f.params])).toEqual([['clock-spread:fleet', { hostA: 'B', hostB: 'A', seconds: '1.1' }]]);
    const far = clockFindings([host('a', [], { clockOffsetMs: 2500 }), host('b', [], { clockOffsetMs: 2400 })]);
    expect(far.map((f) => `${f.id} ${f.params.seconds}`)).toEqual(['clock-offset:a 2.5', 'clock-offset:b 2.4']);
  });

  it('computeFindings sorts by severity, marks silenced ones and leaves them out of the counts', () => {
    const a = vm('a', {}, { macs: ['52:54:00:00:00:01'], nics: [nic('52:54:00:00:00:01')], disks: [disk({ cache: 'writeback' })] });
    const b = vm('b', {}, { macs: ['52:54:00:00:00:01'], nics: [nic('52:54:00:00:00:01')] });
    const hosts = [host('h1', [a]), host('h2', [b])];
    const all = computeFindings(hosts, { cpuRatio: 4, silenced: ['disk-cache:h1/uuid-a/vda'] });
    expect(all.map((f) => [f.id, f.silenced])).toEqual([
      ['mac-collision:52:54:00:00:00:01', false],
      ['disk-cache:h1/uuid-a/vda', true],
    ]);
    expect(countsByHost(all)).toEqual({ h1: { info: 0, warning: 0, critical: 1 }, h2: { info: 0, warning: 0, critical: 1 } });
  });

  it('VMs whose XML has not been read yet raise nothing', () => {
    expect(computeFindings([host('h', [{ ...vm('a'), definition: undefined }])], DEFAULT_ADVISOR_SETTINGS)).toEqual([]);
  });
});

describe('host facts', () => {
  it('parses the clock in ns (or s where %N is unknown) and KSM', () => {
    expect(parseClockAndKsm('1764690000123456789\nksm 1 5120\n')).toEqual({ hostClockMs: 1764690000123, ksm: { running: true, pagesSharing: 5120 } });
    expect(parseClockAndKsm('1764690000N\nksm\n')).toEqual({ hostClockMs: 1764690000000, ksm: null });
    expect(parseClockAndKsm('garbage\nksm 0 0')).toEqual({ hostClockMs: null, ksm: { running: false, pagesSharing: 0 } });
  });

  it('measures the offset against the round trip’s midpoint', () => {
    expect(clockOffset(1000, 1100, 1050)).toEqual({ offsetMs: 0, uncertaintyMs: 50 });
    expect(clockOffset(1000, 1100, 3050)).toEqual({ offsetMs: 2000, uncertaintyMs: 50 });
  });
});

describe('export and names', () => {
  it('CSV quotes what needs it and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=cmd()')).toBe("'=cmd()");
    const report: AdvisorReport = {
      revision: 1,
      computedAt: 0,
      settings: DEFAULT_ADVISOR_SETTINGS,
      hosts: [],
      countsByHost: {},
      findings: computeFindings([host('h1', [vm('a', {}, { disks: [disk({ cache: 'unsafe' })] })])], DEFAULT_ADVISOR_SETTINGS),
    };
    const lines = findingsCsv(report, (id) => `host ${id}`).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,rule,severity,silenced,hosts,vms,remedy,remedy_vm,details');
    expect(lines[1]).toBe('disk-cache:h1/uuid-a/vda,disk-cache,critical,no,host h1,a@host h1,disk-cache-none,a@host h1,host=H1; vm=a; target=vda; path=/img/a; cache=unsafe');
  });

  it('names the qcow2 copy next to the raw volume, never over one that exists', () => {
    expect(qcow2Name('data.img', new Set())).toBe('data.qcow2');
    expect(qcow2Name('data.raw', new Set(['data.qcow2']))).toBe('data-1.qcow2');
    expect(qcow2Name('disk', new Set())).toBe('disk.qcow2');
  });
});

describe('clock measurements', () => {
  it('an offset within its own uncertainty is not a finding', () => {
    const slow = [host('a', [], { clockOffsetMs: -1800, clockUncertaintyMs: 900 }), host('b', [], { clockOffsetMs: 0, clockUncertaintyMs: 5 })];
    expect(clockFindings(slow)).toEqual([]);
    const sure = [host('a', [], { clockOffsetMs: -1800, clockUncertaintyMs: 100 }), host('b', [], { clockOffsetMs: 0, clockUncertaintyMs: 5 })];
    expect(clockFindings(sure).map((f) => f.id)).toEqual(['clock-offset:a', 'clock-spread:fleet']);
  });
});

describe('the advisor service', () => {
  it('recomputes from held inventories, announces changes, and keeps silenced ids and the CPU ratio in the settings file', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { SettingsStore } = await import('../../main/services/settings/settingsStore.js');
    const { AdvisorService } = await import('../../main/services/advisor/advisorService.js');
    const dir = await mkdtemp(join(tmpdir(), 'vd-advisor-unit-'));
    const store = new SettingsStore(dir);
    await store.load();
    const guests = [vm('a', { state: 'running', vcpus: 3 }, { disks: [disk({ cache: 'unsafe' })] }), vm('b', { state: 'running', vcpus: 3 })];
    let inventoryVms = guests;
    const summary = { id: 'h1', label: 'H1', status: 'connected' } as HostSummary;
    const fakeHost = {
      getSummary: () => summary,
      heldInventory: () => ({ hostId: 'h1', fetchedAt: 0, networks: [], pools: [], vms: inventoryVms.map((g) => ({ hostId: 'h1', name: g.name, uuid: g.uuid, state: g.state, vcpus: g.vcpus, memoryKiB: 1, persistent: true, autostart: false })) }),
      heldDefinitions: () => ({ definitions: new Map(guests.map((g) => [g.uuid, g.definition!])), withSnapshots: new Set<string>() }),
      libvirt: () => {
        throw new Error('the advisor must not reach the host to compute');
      },
    };
    const hosts = { list: () => [summary], find: (id: string) => (id === 'h1' ? fakeHost : undefined), get: () => fakeHost };
    const announced: number[] = [];
    const advisor = new AdvisorService(hosts as never, store, ({ revision }) => announced.push(revision), { delayMs: 0 });
    (advisor as unknown as { facts: Map<string, AdvisorHostFacts> }).facts.set('h1', facts('h1'));
    expect(advisor.report().findings.map((f) => f.id)).toEqual(['disk-cache:h1/uuid-a/vda', 'cpu-overcommit:h1']);
    expect(announced).toEqual([1]);
    advisor.recompute();
    expect(announced).toEqual([1]);

    await advisor.silence('disk-cache:h1/uuid-a/vda', true);
    await advisor.setCpuRatio(1.2);
    const report = advisor.report();
    expect(report.findings.map((f) => [f.id, f.silenced, f.severity])).toEqual([
      ['cpu-overcommit:h1', false, 'critical'],
      ['disk-cache:h1/uuid-a/vda', true, 'critical'],
    ]);
    expect(report.countsByHost).toEqual({ h1: { info: 0, warning: 0, critical: 1 } });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')).settings.advisor).toEqual({ cpuRatio: 1.2, silenced: ['disk-cache:h1/uuid-a/vda'] });

    inventoryVms = [guests[1]!];
    advisor.hostChanged('h1');
    expect(advisor.report().findings.map((f) => f.id)).toEqual([]);
    expect(announced.at(-1)).toBeGreaterThan(1);
    advisor.dispose();
  });
});

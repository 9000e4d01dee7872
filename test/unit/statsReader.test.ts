import { describe, expect, it } from 'vitest';
import { computeRates, parseDomstats, type RawDomainStats } from '../../main/libvirt/statsReader.js';

/**
 * Captured on lab host lab2 (libvirt 9.0, QEMU TCG guests booted into iPXE) with
 * `virsh domstats --raw --state --cpu-total --balloon --vcpu --interface --block --list-active`:
 * one guest with a quote, ": " and CJK in its name (1 NIC, no disk), one with 2 NICs and 2 disks.
 */
const CAPTURED_TWO_DOMAINS = `Domain: 'evt-o'brien': 中文 x'
  state.state=1
  state.reason=1
  cpu.time=16740000000
  cpu.user=16420000000
  cpu.system=320000000
  cpu.cache.monitor.count=0
  cpu.haltpoll.success.time=0
  cpu.haltpoll.fail.time=0
  balloon.current=98304
  balloon.maximum=98304
  balloon.last-update=0
  balloon.rss=49576
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.state=1
  vcpu.0.time=16250000000
  vcpu.0.wait=0
  vcpu.0.delay=298278999
  vcpu.1.state=1
  vcpu.1.time=0
  vcpu.1.wait=0
  vcpu.1.delay=6137745
  net.count=1
  net.0.name=vnet1
  net.0.rx.bytes=2194
  net.0.rx.pkts=27
  net.0.rx.errs=0
  net.0.rx.drop=0
  net.0.tx.bytes=2286
  net.0.tx.pkts=12
  net.0.tx.errs=0
  net.0.tx.drop=0
  block.count=0

Domain: 'evt-stats'
  state.state=1
  state.reason=1
  cpu.time=16050000000
  cpu.user=15750000000
  cpu.system=300000000
  cpu.cache.monitor.count=0
  cpu.haltpoll.success.time=0
  cpu.haltpoll.fail.time=0
  balloon.current=131072
  balloon.maximum=131072
  balloon.last-update=0
  balloon.rss=49084
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.state=1
  vcpu.0.time=15590000000
  vcpu.0.wait=0
  vcpu.0.delay=851493213
  vcpu.1.state=1
  vcpu.1.time=0
  vcpu.1.wait=0
  vcpu.1.delay=10230034
  net.count=2
  net.0.name=vnet2
  net.0.rx.bytes=2194
  net.0.rx.pkts=27
  net.0.rx.errs=0
  net.0.rx.drop=0
  net.0.tx.bytes=2286
  net.0.tx.pkts=12
  net.0.tx.errs=0
  net.0.tx.drop=0
  net.1.name=vnet3
  net.1.rx.bytes=90
  net.1.rx.pkts=1
  net.1.rx.errs=0
  net.1.rx.drop=0
  net.1.tx.bytes=0
  net.1.tx.pkts=0
  net.1.tx.errs=0
  net.1.tx.drop=0
  block.count=2
  block.0.name=vda
  block.0.path=/tmp/evt-disk-a.img
  block.0.backingIndex=2
  block.0.rd.reqs=1
  block.0.rd.bytes=512
  block.0.rd.times=109272
  block.0.wr.reqs=0
  block.0.wr.bytes=0
  block.0.wr.times=0
  block.0.fl.reqs=0
  block.0.fl.times=0
  block.0.allocation=0
  block.0.capacity=8388608
  block.0.physical=4096
  block.1.name=vdb
  block.1.path=/tmp/evt-disk-b.img
  block.1.backingIndex=1
  block.1.rd.reqs=0
  block.1.rd.bytes=0
  block.1.rd.times=0
  block.1.wr.reqs=0
  block.1.wr.bytes=0
  block.1.wr.times=0
  block.1.fl.reqs=0
  block.1.fl.times=0
  block.1.allocation=0
  block.1.capacity=8388608
  block.1.physical=4096

`;

/** The second guest sampled twice by one shell, `sleep 2` between the two domstats calls. */
const CAPTURED_SAMPLE_A = `Domain: 'evt-stats'
  state.state=1
  state.reason=1
  cpu.time=16100000000
  cpu.user=15790000000
  cpu.system=310000000
  cpu.cache.monitor.count=0
  cpu.haltpoll.success.time=0
  cpu.haltpoll.fail.time=0
  balloon.current=131072
  balloon.maximum=131072
  balloon.last-update=0
  balloon.rss=49084
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.state=1
  vcpu.0.time=15630000000
  vcpu.0.wait=0
  vcpu.0.delay=855070151
  vcpu.1.state=1
  vcpu.1.time=0
  vcpu.1.wait=0
  vcpu.1.delay=10230034
  net.count=2
  net.0.name=vnet2
  net.0.rx.bytes=2194
  net.0.rx.pkts=27
  net.0.rx.errs=0
  net.0.rx.drop=0
  net.0.tx.bytes=2286
  net.0.tx.pkts=12
  net.0.tx.errs=0
  net.0.tx.drop=0
  net.1.name=vnet3
  net.1.rx.bytes=90
  net.1.rx.pkts=1
  net.1.rx.errs=0
  net.1.rx.drop=0
  net.1.tx.bytes=0
  net.1.tx.pkts=0
  net.1.tx.errs=0
  net.1.tx.drop=0
  block.count=2
  block.0.name=vda
  block.0.path=/tmp/evt-disk-a.img
  block.0.backingIndex=2
  block.0.rd.reqs=1
  block.0.rd.bytes=512
  block.0.rd.times=109272
  block.0.wr.reqs=0
  block.0.wr.bytes=0
  block.0.wr.times=0
  block.0.fl.reqs=0
  block.0.fl.times=0
  block.0.allocation=0
  block.0.capacity=8388608
  block.0.physical=4096
  block.1.name=vdb
  block.1.path=/tmp/evt-disk-b.img
  block.1.backingIndex=1
  block.1.rd.reqs=0
  block.1.rd.bytes=0
  block.1.rd.times=0
  block.1.wr.reqs=0
  block.1.wr.bytes=0
  block.1.wr.times=0
  block.1.fl.reqs=0
  block.1.fl.times=0
  block.1.allocation=0
  block.1.capacity=8388608
  block.1.physical=4096

`;
const CAPTURED_SAMPLE_B = `Domain: 'evt-stats'
  state.state=1
  state.reason=1
  cpu.time=16130000000
  cpu.user=15810000000
  cpu.system=320000000
  cpu.cache.monitor.count=0
  cpu.haltpoll.success.time=0
  cpu.haltpoll.fail.time=0
  balloon.current=131072
  balloon.maximum=131072
  balloon.last-update=0
  balloon.rss=49084
  vcpu.current=2
  vcpu.maximum=2
  vcpu.0.state=1
  vcpu.0.time=15640000000
  vcpu.0.wait=0
  vcpu.0.delay=855979898
  vcpu.1.state=1
  vcpu.1.time=0
  vcpu.1.wait=0
  vcpu.1.delay=10230034
  net.count=2
  net.0.name=vnet2
  net.0.rx.bytes=2194
  net.0.rx.pkts=27
  net.0.rx.errs=0
  net.0.rx.drop=0
  net.0.tx.bytes=2286
  net.0.tx.pkts=12
  net.0.tx.errs=0
  net.0.tx.drop=0
  net.1.name=vnet3
  net.1.rx.bytes=90
  net.1.rx.pkts=1
  net.1.rx.errs=0
  net.1.rx.drop=0
  net.1.tx.bytes=0
  net.1.tx.pkts=0
  net.1.tx.errs=0
  net.1.tx.drop=0
  block.count=2
  block.0.name=vda
  block.0.path=/tmp/evt-disk-a.img
  block.0.backingIndex=2
  block.0.rd.reqs=1
  block.0.rd.bytes=512
  block.0.rd.times=109272
  block.0.wr.reqs=0
  block.0.wr.bytes=0
  block.0.wr.times=0
  block.0.fl.reqs=0
  block.0.fl.times=0
  block.0.allocation=0
  block.0.capacity=8388608
  block.0.physical=4096
  block.1.name=vdb
  block.1.path=/tmp/evt-disk-b.img
  block.1.backingIndex=1
  block.1.rd.reqs=0
  block.1.rd.bytes=0
  block.1.rd.times=0
  block.1.wr.reqs=0
  block.1.wr.bytes=0
  block.1.wr.times=0
  block.1.fl.reqs=0
  block.1.fl.times=0
  block.1.allocation=0
  block.1.capacity=8388608
  block.1.physical=4096

`;

/** test:///default reports the state group only. */
const CAPTURED_TEST_DRIVER = `Domain: 'test'
  state.state=1
  state.reason=0

`;

describe('parseDomstats', () => {
  it('reads name, state, CPU time, vCPUs, balloon and sums over every NIC and disk', () => {
    const [quoted, stats] = parseDomstats(CAPTURED_TWO_DOMAINS);
    expect(quoted).toEqual({
      name: "evt-o'brien': 中文 x",
      state: 'running',
      stateReason: 'booted',
      cpuTimeNs: 16740000000,
      vcpus: 2,
      balloonCurrentKiB: 98304,
      balloonMaximumKiB: 98304,
      balloonRssKiB: 49576,
      balloonUnusedKiB: null,
      balloonUsableKiB: null,
      rxBytes: 2194,
      txBytes: 2286,
      rdBytes: 0,
      wrBytes: 0,
    });
    expect(stats).toMatchObject({ name: 'evt-stats', cpuTimeNs: 16050000000, vcpus: 2, rxBytes: 2194 + 90, txBytes: 2286, rdBytes: 512, wrBytes: 0 });
  });

  it('leaves out what the driver does not report (test driver: state only)', () => {
    expect(parseDomstats(CAPTURED_TEST_DRIVER)).toEqual([
      {
        name: 'test',
        state: 'running',
        stateReason: undefined,
        cpuTimeNs: null,
        vcpus: null,
        balloonCurrentKiB: null,
        balloonMaximumKiB: null,
        balloonRssKiB: null,
        balloonUnusedKiB: null,
        balloonUsableKiB: null,
        rxBytes: null,
        txBytes: null,
        rdBytes: null,
        wrBytes: null,
      },
    ]);
  });

  it('takes the name between the first and the last quote of the header', () => {
    const [stats] = parseDomstats("Domain: ''a' 'b''\n  state.state=3\n  cpu.time=5\n");
    expect(stats).toMatchObject({ name: "'a' 'b'", state: 'paused', cpuTimeNs: 5 });
  });

  it('reads every libvirt state and its reason (virDomainState and the reason enums)', () => {
    const text = [
      [0, 0], [1, 1], [2, 0], [3, 5], [4, 1], [5, 2], [6, 1], [7, 0], [5, 99],
    ].map(([state, reason], i) => `Domain: 'd${i}'\n  state.state=${state}\n  state.reason=${reason}\n`).join('\n');
    expect(parseDomstats(text).map((s) => [s.state, s.stateReason])).toEqual([
      ['no-state', undefined],
      ['running', 'booted'],
      ['blocked', undefined],
      ['paused', 'io-error'],
      ['shutting-down', 'user'],
      ['shutoff', 'destroyed'],
      ['crashed', 'panicked'],
      ['pm-suspended', undefined],
      // A reason newer than this table is left out rather than guessed.
      ['shutoff', undefined],
    ]);
  });

  it('returns nothing for empty output (no running VMs)', () => {
    expect(parseDomstats('')).toEqual([]);
    expect(parseDomstats('\n')).toEqual([]);
  });
});

function sample(overrides: Partial<RawDomainStats>): RawDomainStats {
  return {
    name: 'vm',
    state: 'running',
    stateReason: undefined,
    cpuTimeNs: 0,
    vcpus: 1,
    balloonCurrentKiB: 1024,
    balloonMaximumKiB: 1024,
    balloonRssKiB: 800,
    balloonUnusedKiB: null,
    balloonUsableKiB: null,
    rxBytes: 0,
    txBytes: 0,
    rdBytes: 0,
    wrBytes: 0,
    ...overrides,
  };
}

describe('computeRates', () => {
  it('two captured samples 2 s apart: CPU share and byte rates', () => {
    const [rates] = computeRates(parseDomstats(CAPTURED_SAMPLE_A), parseDomstats(CAPTURED_SAMPLE_B), 2000, 'lab2');
    // cpu.time went 16.10 s → 16.13 s: 30 ms of CPU in 2 s of wall time.
    expect(rates?.cpuPercent).toBeCloseTo(1.5, 6);
    expect(rates).toMatchObject({ hostId: 'lab2', name: 'evt-stats', memoryUsedKiB: 49084, diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0 });
  });

  it('null rates on the first sample, but memory is a gauge and shows at once', () => {
    expect(computeRates(undefined, parseDomstats(CAPTURED_SAMPLE_A), 2000, 'lab2')).toEqual([
      { hostId: 'lab2', name: 'evt-stats', cpuPercent: null, memoryUsedKiB: 49084, diskReadBps: null, diskWriteBps: null, netRxBps: null, netTxBps: null },
    ]);
  });

  it('several busy vCPUs exceed 100 % (virt-top convention)', () => {
    const [rates] = computeRates([sample({ cpuTimeNs: 1e9 })], [sample({ cpuTimeNs: 1e9 + 3.5e9, vcpus: 4 })], 1000, 'h');
    expect(rates?.cpuPercent).toBeCloseTo(350, 6);
  });

  it('bytes per second over the elapsed time', () => {
    const [rates] = computeRates(
      [sample({ rxBytes: 1000, txBytes: 0, rdBytes: 4096, wrBytes: 0 })],
      [sample({ rxBytes: 6000, txBytes: 250, rdBytes: 4096 + 8192, wrBytes: 1_000_000 })],
      500,
      'h',
    );
    expect(rates).toMatchObject({ netRxBps: 10000, netTxBps: 500, diskReadBps: 16384, diskWriteBps: 2_000_000 });
  });

  it('a counter that went backwards (VM restarted) gives null for that counter only', () => {
    const [rates] = computeRates([sample({ cpuTimeNs: 9e9, rxBytes: 500 })], [sample({ cpuTimeNs: 1e8, rxBytes: 700 })], 1000, 'h');
    expect(rates?.cpuPercent).toBeNull();
    expect(rates?.netRxBps).toBe(200);
  });

  it('a VM that disappeared is absent; a new one has null rates', () => {
    const rates = computeRates([sample({ name: 'gone' }), sample({ name: 'stays' })], [sample({ name: 'stays', cpuTimeNs: 5e8 }), sample({ name: 'new' })], 1000, 'h');
    expect(rates.map((r) => [r.name, r.cpuPercent])).toEqual([
      ['stays', 50],
      ['new', null],
    ]);
  });

  it('no usable rate over a zero or negative interval, or from a missing counter', () => {
    expect(computeRates([sample({})], [sample({ cpuTimeNs: 5 })], 0, 'h')[0]?.cpuPercent).toBeNull();
    expect(computeRates([sample({ rdBytes: null })], [sample({ rdBytes: 5 })], 1000, 'h')[0]?.diskReadBps).toBeNull();
  });

  it('memory in use: given minus unused when the guest reports it, else host RSS, else unknown', () => {
    expect(computeRates(undefined, [sample({ balloonCurrentKiB: 4096, balloonUnusedKiB: 1000 })], 1000, 'h')[0]?.memoryUsedKiB).toBe(3096);
    expect(computeRates(undefined, [sample({ balloonRssKiB: 700 })], 1000, 'h')[0]?.memoryUsedKiB).toBe(700);
    expect(computeRates(undefined, [sample({ balloonRssKiB: null })], 1000, 'h')[0]?.memoryUsedKiB).toBeNull();
  });
});

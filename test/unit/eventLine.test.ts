import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../main/libvirt/eventLine.js';

/**
 * Captured from libvirt 9.0 on lab host lab2 (virsh over SSH: `event --all --loop --timestamp`,
 * `net-event --event lifecycle --loop --timestamp`, `pool-event --event lifecycle --loop
 * --timestamp`) while another SSH session defined, started, destroyed and undefined a domain
 * named `evt-o'brien': 中文 x`, a network `evt-net x'y: z` and a pool `evt-pool`.
 */
const CAPTURED_DOMAIN = `2026-11-21 21:51:45.535+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Defined Added
2026-11-21 21:51:46.253+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Resumed Unpaused
2026-11-21 21:51:46.261+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Started Booted
2026-11-21 21:52:09.987+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Suspended Paused
2026-11-21 21:52:17.827+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Shutdown Finished after host request
2026-11-21 21:52:17.832+0000: event 'lifecycle' for domain 'evt-o'brien': 中文 x': Stopped Destroyed
`;
const CAPTURED_NETWORK = `2026-11-21 21:51:54.638+0000: event 'lifecycle' for network evt-net x'y: z: Defined
2026-11-21 21:51:55.367+0000: event 'lifecycle' for network evt-net x'y: z: Started
2026-11-21 21:51:55.665+0000: event 'lifecycle' for network evt-net x'y: z: Stopped
2026-11-21 21:51:55.709+0000: event 'lifecycle' for network evt-net x'y: z: Undefined
`;
const CAPTURED_POOL = `2026-11-21 21:51:54.909+0000: event 'lifecycle' for storage pool evt-pool: Defined
2026-11-21 21:51:54.931+0000: event 'lifecycle' for storage pool evt-pool: Created
2026-11-21 21:51:54.956+0000: event 'lifecycle' for storage pool evt-pool: Started
2026-11-21 21:51:54.998+0000: event 'lifecycle' for storage pool evt-pool: Stopped
2026-11-21 21:51:55.016+0000: event 'lifecycle' for storage pool evt-pool: Undefined
`;

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('parseEventLine with captured virsh output', () => {
  it('domain lifecycle: a name with quotes, ": " and CJK, the word and its reason', () => {
    const events = lines(CAPTURED_DOMAIN).map(parseEventLine);
    const name = "evt-o'brien': 中文 x";
    expect(events).toEqual([
      { kind: 'domain', name, event: 'Defined', detail: 'Added', at: '2026-11-21T21:51:45.535+00:00' },
      { kind: 'domain', name, event: 'Resumed', detail: 'Unpaused', at: '2026-11-21T21:51:46.253+00:00' },
      { kind: 'domain', name, event: 'Started', detail: 'Booted', at: '2026-11-21T21:51:46.261+00:00' },
      { kind: 'domain', name, event: 'Suspended', detail: 'Paused', at: '2026-11-21T21:52:09.987+00:00' },
      { kind: 'domain', name, event: 'Shutdown', detail: 'Finished after host request', at: '2026-11-21T21:52:17.827+00:00' },
      { kind: 'domain', name, event: 'Stopped', detail: 'Destroyed', at: '2026-11-21T21:52:17.832+00:00' },
    ]);
    expect(Date.parse(events[0]?.at ?? '')).toBe(Date.UTC(2026, 10, 21, 21, 51, 45, 535));
  });

  it('network lifecycle: unquoted name, cut at the last ": "', () => {
    expect(lines(CAPTURED_NETWORK).map((line) => parseEventLine(line))).toEqual(
      ['Defined', 'Started', 'Stopped', 'Undefined'].map((event) =>
        expect.objectContaining({ kind: 'network', name: "evt-net x'y: z", event }),
      ),
    );
  });

  it('pool lifecycle: unquoted name', () => {
    expect(lines(CAPTURED_POOL).map((line) => parseEventLine(line)?.event)).toEqual(['Defined', 'Created', 'Started', 'Stopped', 'Undefined']);
    expect(parseEventLine(lines(CAPTURED_POOL)[0] ?? '')).toEqual({
      kind: 'pool',
      name: 'evt-pool',
      event: 'Defined',
      at: '2026-11-21T21:51:54.909+00:00',
    });
  });
});

describe('parseEventLine, formats from virsh-domain-event.c (libvirt 9.0)', () => {
  it('works without a timestamp and keeps a trailing newline or CR out of the result', () => {
    expect(parseEventLine("event 'lifecycle' for domain 'web': Started Booted\r\n")).toEqual({
      kind: 'domain',
      name: 'web',
      event: 'Started',
      detail: 'Booted',
    });
  });

  it("names that contain the separator `': ` are cut at the last one", () => {
    expect(parseEventLine("event 'lifecycle' for domain 'a': b': c': Stopped Shutdown")?.name).toBe("a': b': c");
    expect(parseEventLine("event 'lifecycle' for domain '''': Started Booted")?.name).toBe("''");
    expect(parseEventLine("event 'lifecycle' for domain ' spaced ': Started Booted")?.name).toBe(' spaced ');
  });

  it('other domain event types keep the type as event and the rest as detail', () => {
    expect(parseEventLine("event 'reboot' for domain 'it's'")).toEqual({ kind: 'domain', name: "it's", event: 'reboot' });
    expect(parseEventLine("event 'rtc-change' for domain 'a': b': 3600")).toEqual({ kind: 'domain', name: "a': b", event: 'rtc-change', detail: '3600' });
    expect(parseEventLine("event 'agent-lifecycle' for domain 'x': state: 'connected' reason: 'channel event'")).toEqual({
      kind: 'domain',
      name: 'x',
      event: 'agent-lifecycle',
      detail: "state: 'connected' reason: 'channel event'",
    });
    expect(parseEventLine("event 'tray-change' for domain 'a' disk b': c' disk hdc: opened")).toEqual({
      kind: 'domain',
      name: "a' disk b': c",
      event: 'tray-change',
      detail: 'disk hdc: opened',
    });
    expect(parseEventLine("event 'tunable' for domain 'x': y':")).toEqual({ kind: 'domain', name: "x': y", event: 'tunable' });
    expect(parseEventLine("event 'balloon-change' for domain 'vm': 524288KiB")?.detail).toBe('524288KiB');
  });

  it('pool refresh has no detail', () => {
    expect(parseEventLine("event 'refresh' for storage pool default")).toEqual({ kind: 'pool', name: 'default', event: 'refresh' });
  });

  it('ignores continuation lines, summaries and noise', () => {
    for (const line of ['', '\tcputune.vcpu0: 0-1', 'recipient: guest', 'events received: 3', 'event loop timed out', "event 'lifecycle' for domain '': Started Booted", 'error: Disconnected from qemu:///system due to end of file']) {
      expect(parseEventLine(line), line).toBeUndefined();
    }
  });
});

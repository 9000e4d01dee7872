// Consoles, the pure parts: where a running domain's VNC display can be reached from the host
// (TCP with wildcard and specific listens, unix sockets, listen type none, not started), the
// password and SPICE/serial facts; why `virsh console` ended; what a console does after a
// connection ended; the key combinations sent to the guest.
import { describe, expect, it } from 'vitest';
import { parseDomainConsoles, reachableAddress } from '../../main/libvirt/domainConsoles.js';
import { serialConsoleFailure } from '../../main/services/consoles/serialConsole.js';
import { KEY_COMBOS, keyEvents } from '../../renderer/src/components/consoles/consoleKeys.js';
import { nextStatus } from '../../renderer/src/components/consoles/consoleSession.js';

const domain = (devices: string, id = " id='3'") => `<domain type='kvm'${id}><name>g</name><memory>1024</memory><os><type>hvm</type></os><devices>${devices}</devices></domain>`;

describe('parseDomainConsoles', () => {
  it('a running guest on 127.0.0.1 with a password', () => {
    const consoles = parseDomainConsoles(
      domain("<graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1' passwd='s3cr&amp;t'><listen type='address' address='127.0.0.1'/></graphics><serial type='pty'><target port='0'/></serial>"),
    );
    expect(consoles).toEqual({ running: true, vnc: { endpoint: { kind: 'tcp', host: '127.0.0.1', port: 5901 }, password: 's3cr&t' }, spice: false, serial: true });
  });

  it('wildcard listens are reached on loopback; a specific address as it is', () => {
    expect(reachableAddress('0.0.0.0')).toBe('127.0.0.1');
    expect(reachableAddress(undefined)).toBe('127.0.0.1');
    expect(reachableAddress('::')).toBe('::1');
    expect(reachableAddress('[::1]')).toBe('::1');
    expect(reachableAddress('198.18.0.10')).toBe('198.18.0.10');
    const consoles = parseDomainConsoles(domain("<graphics type='vnc' port='5900' listen='0.0.0.0'><listen type='network' network='default' address='192.168.122.1'/></graphics>"));
    expect(consoles.vnc?.endpoint).toEqual({ kind: 'tcp', host: '192.168.122.1', port: 5900 });
  });

  it('a unix socket listen, either spelling', () => {
    expect(parseDomainConsoles(domain("<graphics type='vnc' socket='/run/a.sock'><listen type='socket' socket='/run/a.sock'/></graphics>")).vnc?.endpoint).toEqual({ kind: 'unix', path: '/run/a.sock' });
    expect(parseDomainConsoles(domain("<graphics type='vnc' socket='/run/b.sock'/>")).vnc?.endpoint).toEqual({ kind: 'unix', path: '/run/b.sock' });
  });

  it('no endpoint: listen type none, or a guest that is not running (port -1)', () => {
    expect(parseDomainConsoles(domain("<graphics type='vnc'><listen type='none'/></graphics>")).vnc).toEqual({});
    const off = parseDomainConsoles(domain("<graphics type='vnc' port='-1' autoport='yes'/>", ''));
    expect(off).toMatchObject({ running: false, vnc: {} });
  });

  it('SPICE only, no serial', () => {
    expect(parseDomainConsoles(domain("<graphics type='spice' port='5930'/>"))).toEqual({ running: true, spice: true, serial: false });
  });
});

describe('serialConsoleFailure', () => {
  it('another client holds the console', () => {
    expect(serialConsoleFailure(1, "\r\nerror: operation failed: Active console session exists for this domain\r\n")).toEqual({
      code: 'console-busy',
      message: 'operation failed: Active console session exists for this domain',
    });
  });
  it('libvirt went away: reconnect', () => {
    expect(serialConsoleFailure(1, 'error: End of file while reading data: Input/output error')?.code).toBe('host-unavailable');
  });
  it('a clean end is no error; other failures say what libvirt said', () => {
    expect(serialConsoleFailure(0, 'Connected to domain\r\n')).toBeUndefined();
    expect(serialConsoleFailure(1, "error: internal error: character device console0 is not using a PTY")).toEqual({ code: 'libvirt-error', message: 'internal error: character device console0 is not using a PTY' });
    expect(serialConsoleFailure(1, "error: failed to get domain 'x'\r\nerror: Domain not found")?.code).toBe('not-found');
  });
});

describe('nextStatus', () => {
  it('busy stays busy (taking over asks first); a stopped guest waits; the rest reconnects', () => {
    expect(nextStatus({ code: 'console-busy' }, true, true)).toBe('busy');
    expect(nextStatus(undefined, false, true)).toBe('not-running');
    expect(nextStatus({ code: 'host-unavailable' }, true, false)).toBe('reconnecting');
    expect(nextStatus(undefined, true, true)).toBe('reconnecting');
    expect(nextStatus({ code: 'bad-arguments' }, true, true)).toBe('failed');
  });
});

describe('key combinations', () => {
  it('presses in order and releases in reverse', () => {
    const combo = KEY_COMBOS.find((candidate) => candidate.id === 'ctrl-alt-del')!;
    expect(keyEvents(combo).map((key) => `${key.code}${key.down ? '↓' : '↑'}`)).toEqual(['ControlLeft↓', 'AltLeft↓', 'Delete↓', 'Delete↑', 'AltLeft↑', 'ControlLeft↑']);
  });
  it('offers Ctrl+Alt+F1…F12 with the F keys’ keysyms, Ctrl+Alt+Backspace and PrintScreen', () => {
    const f12 = KEY_COMBOS.find((candidate) => candidate.id === 'ctrl-alt-f12')!;
    expect(f12.keys[2]).toEqual({ keysym: 0xffc9, code: 'F12' });
    expect(KEY_COMBOS.map((candidate) => candidate.id)).toEqual(expect.arrayContaining(['ctrl-alt-backspace', 'ctrl-alt-f1', 'print-screen']));
    expect(KEY_COMBOS).toHaveLength(15);
  });
});

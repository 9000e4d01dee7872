import { describe, expect, it } from 'vitest';
import { ContractError, VmAction } from '../../preload/contract.js';
import { errorDetailText, errorMessageKey, toErrorInfo } from '../../renderer/src/errors/errorInfo.js';
import { formatBytes, formatMemoryKiB, percentOf } from '../../renderer/src/format/formatBytes.js';
import { summarizeHostStatus } from '../../renderer/src/model/hostStatusSummary.js';
import { isVmActionAvailable, vmActionOrder } from '../../renderer/src/model/vmActionAvailability.js';
import { countVmStates, shownStateCounts } from '../../renderer/src/model/vmStateCounts.js';
import { cycleKey, keyAfterClose } from '../../renderer/src/navigation/tabOrder.js';
import { formatChord } from '../../renderer/src/shortcuts/formatShortcut.js';
import { matchShortcut, type KeyPress } from '../../renderer/src/shortcuts/shortcutMap.js';
import { resolveTheme } from '../../renderer/src/theme/resolveTheme.js';
import { HostStatus } from '../../preload/contract.js';
import { hostCalloutTone, hostStatusTone } from '../../renderer/src/components/common/toneOf.js';
import { hostKeyFileName } from '../../renderer/src/model/hostKeyFile.js';
import { secondsUntil } from '../../renderer/src/model/retryCountdown.js';

describe('formatBytes', () => {
  it('uses binary units with at most one decimal', () => {
    expect(formatBytes(0, 'en')).toBe('0 B');
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
    expect(formatBytes(100 * 1024 ** 3, 'en')).toBe('100 GiB');
    expect(formatBytes(1.25 * 1024 ** 4, 'en')).toBe('1.3 TiB');
  });

  it('shows guest memory in MiB below 1 GiB and GiB from there', () => {
    expect(formatMemoryKiB(512 * 1024, 'en')).toBe('512 MiB');
    expect(formatMemoryKiB(2 * 1024 * 1024, 'en')).toBe('2 GiB');
  });

  it('computes a bounded whole percentage', () => {
    expect(percentOf(1, 3)).toBe(33);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(10, 5)).toBe(100);
  });
});

describe('VM actions by state', () => {
  it('offers only what libvirt accepts', () => {
    const available = (state: Parameters<typeof isVmActionAvailable>[1]['state']) =>
      vmActionOrder.filter((action) => isVmActionAvailable(action, { state, persistent: false, autostart: false }));
    expect(available('shutoff')).toEqual(['start']);
    expect(available('running')).toEqual(['shutdown', 'reboot', 'suspend', 'destroy']);
    expect(available('paused')).toEqual(['resume', 'destroy']);
  });

  it('lists every action of the contract once', () => {
    expect([...vmActionOrder].sort()).toEqual([...VmAction.options].sort());
  });
});

describe('counts', () => {
  it('counts VM states and host availability', () => {
    const counts = countVmStates([{ state: 'running' }, { state: 'running' }, { state: 'paused' }, { state: 'crashed' }]);
    expect(counts).toEqual({
      running: 2,
      blocked: 0,
      paused: 1,
      'shutting-down': 0,
      shutoff: 0,
      crashed: 1,
      'pm-suspended': 0,
      'no-state': 0,
    });
    // The usual three always, any other state only when a VM is in it.
    expect(shownStateCounts(counts).map((entry) => entry.state)).toEqual(['running', 'paused', 'shutoff', 'crashed']);
    expect(
      summarizeHostStatus([{ status: 'connected' }, { status: 'connecting' }, { status: 'virsh-missing' }, { status: 'error' }]),
    ).toEqual({ total: 4, connected: 1, connecting: 1, awaitingUser: 0, unavailable: 2 });
    expect(
      summarizeHostStatus([{ status: 'awaiting-user' }, { status: 'host-key-changed' }, { status: 'unreachable' }]),
    ).toEqual({ total: 3, connected: 0, connecting: 0, awaitingUser: 1, unavailable: 2 });
  });
});

describe('errors', () => {
  it('keeps the code of contract errors and maps it to a catalog key', () => {
    const info = toErrorInfo(new ContractError('host-unavailable', 'Host demo is not connected', 'ssh: timeout'));
    expect(info).toEqual({ code: 'host-unavailable', message: 'Host demo is not connected', detail: 'ssh: timeout' });
    expect(errorMessageKey(info)).toBe('error.host-unavailable');
    expect(errorDetailText(info)).toBe('Host demo is not connected\nssh: timeout');
  });

  it('treats anything else as a transport failure', () => {
    const info = toErrorInfo(new Error('WebSocket closed'));
    expect(info.code).toBeNull();
    expect(errorMessageKey(info)).toBe('error.transport');
    expect(errorMessageKey(toErrorInfo({ code: 'made-up', message: 'x' }))).toBe('error.transport');
    expect(toErrorInfo('plain').message).toBe('plain');
  });
});

describe('tabs', () => {
  it('cycles with wrap-around', () => {
    expect(cycleKey(['a', 'b', 'c'], 'c', 1)).toBe('a');
    expect(cycleKey(['a', 'b', 'c'], 'a', -1)).toBe('c');
    expect(cycleKey([], null, 1)).toBeNull();
  });

  it('shows the right neighbour after closing the active tab, else the left one', () => {
    expect(keyAfterClose(['a', 'b', 'c'], 'b', 'b')).toBe('c');
    expect(keyAfterClose(['a', 'b', 'c'], 'c', 'c')).toBe('b');
    expect(keyAfterClose(['a', 'b', 'c'], 'a', 'c')).toBe('c');
    expect(keyAfterClose(['a'], 'a', 'a')).toBeNull();
  });
});

describe('shortcuts', () => {
  const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
    key,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods,
  });

  it('match Ctrl on Linux and Windows, Cmd on macOS', () => {
    expect(matchShortcut(press('w', { ctrlKey: true }), false)).toBe('closeTab');
    expect(matchShortcut(press('w', { metaKey: true }), true)).toBe('closeTab');
    expect(matchShortcut(press('w', { ctrlKey: true }), true)).toBeNull();
    expect(matchShortcut(press('W', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
  });

  it('know every documented binding', () => {
    expect(matchShortcut(press('Tab', { ctrlKey: true }), false)).toBe('nextTab');
    expect(matchShortcut(press('Tab', { ctrlKey: true, shiftKey: true }), false)).toBe('previousTab');
    expect(matchShortcut(press('PageDown', { ctrlKey: true }), true)).toBe('nextTab');
    expect(matchShortcut(press('PageUp', { ctrlKey: true }), false)).toBe('previousTab');
    expect(matchShortcut(press('b', { ctrlKey: true }), false)).toBe('toggleSidebar');
    expect(matchShortcut(press('r', { ctrlKey: true }), false)).toBe('refresh');
    expect(matchShortcut(press('F5'), false)).toBe('refresh');
    expect(matchShortcut(press('F1'), false)).toBe('help');
    expect(matchShortcut(press('/', { ctrlKey: true }), false)).toBe('help');
    expect(matchShortcut(press(',', { ctrlKey: true }), false)).toBe('settings');
    expect(matchShortcut(press('n', { ctrlKey: true }), false)).toBe('addHost');
    expect(matchShortcut(press('n', { metaKey: true }), true)).toBe('addHost');
    expect(matchShortcut(press('L', { ctrlKey: true, shiftKey: true }), false)).toBe('vmList');
    expect(matchShortcut(press('F', { ctrlKey: true, shiftKey: true }), false)).toBe('focusFilter');
    expect(matchShortcut(press('F2'), false)).toBeNull();
    expect(matchShortcut(press('r', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });

  it('are written the platform way', () => {
    expect(formatChord({ mod: true, shift: true, key: 'Tab' }, false)).toBe('Ctrl+Shift+Tab');
    expect(formatChord({ mod: true, shift: true, key: 'Tab' }, true)).toBe('⇧⌘Tab');
    expect(formatChord({ ctrl: true, key: 'PageDown' }, true)).toBe('⌃PgDn');
    expect(formatChord({ key: 'F5' }, false)).toBe('F5');
  });
});

describe('theme', () => {
  it('follows the system only when asked to', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });
});

describe('host statuses', () => {
  it('give every status a tone, and the possible impostor a red one', () => {
    for (const status of HostStatus.options) {
      expect(hostStatusTone(status), status).toMatch(/^(ok|warn|idle|danger|busy)$/);
      expect(hostCalloutTone(status), status).toMatch(/^(info|warn|danger)$/);
    }
    expect(hostStatusTone('host-key-changed')).toBe('danger');
    expect(hostCalloutTone('host-key-changed')).toBe('danger');
    expect(hostCalloutTone('awaiting-user')).toBe('info');
  });

  it('count down to the next retry in whole seconds, never below zero', () => {
    expect(secondsUntil(10_000, 0)).toBe(10);
    expect(secondsUntil(10_000, 9_001)).toBe(1);
    expect(secondsUntil(10_000, 10_000)).toBe(0);
    expect(secondsUntil(10_000, 12_000)).toBe(0);
  });

  it('name the server file that holds a key of each type', () => {
    expect(hostKeyFileName('ssh-ed25519')).toBe('/etc/ssh/ssh_host_ed25519_key.pub');
    expect(hostKeyFileName('ecdsa-sha2-nistp256')).toBe('/etc/ssh/ssh_host_ecdsa_key.pub');
    expect(hostKeyFileName('ssh-rsa')).toBe('/etc/ssh/ssh_host_rsa_key.pub');
    expect(hostKeyFileName('rsa-sha2-512')).toBe('/etc/ssh/ssh_host_rsa_key.pub');
    expect(hostKeyFileName('something-new')).toBe('/etc/ssh/ssh_host_*_key.pub');
  });
});

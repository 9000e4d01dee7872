/**
 * Every global keyboard shortcut, in one place. The key handler, the tooltips and the help
 * dialog all read this map, so what is shown is what works.
 */
import type { MessageKey } from '../i18n/translate.js';

export type ShortcutId =
  | 'closeTab'
  | 'nextTab'
  | 'previousTab'
  | 'toggleSidebar'
  | 'refresh'
  | 'help'
  | 'settings'
  | 'addHost'
  | 'vmList'
  | 'focusFilter'
  | 'vmStart'
  | 'vmShutdown'
  | 'vmReboot'
  | 'vmPause'
  | 'vmForceOff'
  | 'vmSave';

/**
 * One key combination. `mod` is Cmd on macOS and Ctrl elsewhere; `ctrl` is Ctrl everywhere
 * (Ctrl+PageDown stays Ctrl on a Mac). `key` is KeyboardEvent.key, letters lower-case.
 */
export interface KeyChord {
  key: string;
  mod?: boolean;
  ctrl?: boolean;
  shift?: boolean;
}

export interface ShortcutDefinition {
  id: ShortcutId;
  labelKey: MessageKey;
  chords: readonly KeyChord[];
}

export const shortcutMap: readonly ShortcutDefinition[] = [
  { id: 'closeTab', labelKey: 'shortcut.closeTab', chords: [{ mod: true, key: 'w' }] },
  {
    id: 'nextTab',
    labelKey: 'shortcut.nextTab',
    chords: [
      { mod: true, key: 'Tab' },
      { ctrl: true, key: 'PageDown' },
    ],
  },
  {
    id: 'previousTab',
    labelKey: 'shortcut.previousTab',
    chords: [
      { mod: true, shift: true, key: 'Tab' },
      { ctrl: true, key: 'PageUp' },
    ],
  },
  { id: 'toggleSidebar', labelKey: 'shortcut.toggleSidebar', chords: [{ mod: true, key: 'b' }] },
  { id: 'refresh', labelKey: 'shortcut.refresh', chords: [{ mod: true, key: 'r' }, { key: 'F5' }] },
  { id: 'help', labelKey: 'shortcut.help', chords: [{ key: 'F1' }, { mod: true, key: '/' }] },
  { id: 'settings', labelKey: 'shortcut.settings', chords: [{ mod: true, key: ',' }] },
  { id: 'addHost', labelKey: 'shortcut.addHost', chords: [{ mod: true, key: 'n' }] },
  { id: 'vmList', labelKey: 'shortcut.vmList', chords: [{ mod: true, shift: true, key: 'l' }] },
  { id: 'focusFilter', labelKey: 'shortcut.focusFilter', chords: [{ mod: true, shift: true, key: 'f' }] },
  // On the VM of the active tab, the VM selected in the tree, or the VMs selected in the VM list.
  { id: 'vmStart', labelKey: 'shortcut.vmStart', chords: [{ mod: true, shift: true, key: 'u' }] },
  { id: 'vmShutdown', labelKey: 'shortcut.vmShutdown', chords: [{ mod: true, shift: true, key: 'd' }] },
  { id: 'vmReboot', labelKey: 'shortcut.vmReboot', chords: [{ mod: true, shift: true, key: 'e' }] },
  { id: 'vmPause', labelKey: 'shortcut.vmPause', chords: [{ mod: true, shift: true, key: 'p' }] },
  { id: 'vmForceOff', labelKey: 'shortcut.vmForceOff', chords: [{ mod: true, shift: true, key: 'k' }] },
  { id: 'vmSave', labelKey: 'shortcut.vmSave', chords: [{ mod: true, shift: true, key: 's' }] },
];

/** The parts of a KeyboardEvent that matter for matching. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function chordMatches(chord: KeyChord, press: KeyPress, isMac: boolean): boolean {
  if (press.altKey) return false;
  const wantCtrl = Boolean(chord.ctrl) || (Boolean(chord.mod) && !isMac);
  const wantMeta = Boolean(chord.mod) && isMac;
  if (press.ctrlKey !== wantCtrl || press.metaKey !== wantMeta) return false;
  if (press.shiftKey !== Boolean(chord.shift)) return false;
  return press.key.length === 1 ? press.key.toLowerCase() === chord.key : press.key === chord.key;
}

export function matchShortcut(press: KeyPress, isMac: boolean): ShortcutId | null {
  for (const shortcut of shortcutMap) {
    if (shortcut.chords.some((chord) => chordMatches(chord, press, isMac))) return shortcut.id;
  }
  return null;
}

export function shortcutById(id: ShortcutId): ShortcutDefinition {
  const found = shortcutMap.find((shortcut) => shortcut.id === id);
  if (!found) throw new Error(`Unknown shortcut ${id}`);
  return found;
}

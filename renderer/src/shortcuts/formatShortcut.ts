import { shortcutById, type KeyChord, type ShortcutId } from './shortcutMap.js';

const KEY_NAMES: Readonly<Record<string, string>> = {
  PageDown: 'PgDn',
  PageUp: 'PgUp',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  ' ': 'Space',
};

/** "Ctrl+Shift+Tab" on Linux and Windows, "⇧⌘Tab" on macOS. */
export function formatChord(chord: KeyChord, isMac: boolean): string {
  const key = KEY_NAMES[chord.key] ?? (chord.key.length === 1 ? chord.key.toUpperCase() : chord.key);
  if (isMac) {
    return `${chord.ctrl ? '⌃' : ''}${chord.shift ? '⇧' : ''}${chord.mod ? '⌘' : ''}${key}`;
  }
  const parts = [chord.ctrl || chord.mod ? 'Ctrl' : '', chord.shift ? 'Shift' : '', key];
  return parts.filter((part) => part !== '').join('+');
}

/** The first chord of a shortcut, for tooltips. */
export function formatShortcut(id: ShortcutId, isMac: boolean): string {
  const chord = shortcutById(id).chords[0];
  return chord ? formatChord(chord, isMac) : '';
}

/** Whether the keyboard in front of the user is a Mac's (the browser's platform, not main's). */
export function detectMac(): boolean {
  if (typeof navigator === 'undefined') return false;
  return /Mac|iPhone|iPad/i.test(navigator.platform || navigator.userAgent);
}

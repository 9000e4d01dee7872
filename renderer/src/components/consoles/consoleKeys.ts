/**
 * Key combinations the browser keeps for itself (Ctrl+Alt+Del, Ctrl+Alt+F1…, PrintScreen), sent
 * to the guest as X keysyms with their physical key codes: press in order, release in reverse.
 */
export interface KeyStroke {
  keysym: number;
  code: string;
}

const CONTROL: KeyStroke = { keysym: 0xffe3, code: 'ControlLeft' };
const ALT: KeyStroke = { keysym: 0xffe9, code: 'AltLeft' };

export interface KeyCombo {
  id: string;
  /** What the menu shows (key names are the same in every language). */
  label: string;
  keys: readonly KeyStroke[];
}

function functionKey(n: number): KeyStroke {
  return { keysym: 0xffbe + n - 1, code: `F${n}` };
}

export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'Ctrl+Alt+Del', keys: [CONTROL, ALT, { keysym: 0xffff, code: 'Delete' }] },
  { id: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace', keys: [CONTROL, ALT, { keysym: 0xff08, code: 'Backspace' }] },
  ...Array.from({ length: 12 }, (_, index) => ({ id: `ctrl-alt-f${index + 1}`, label: `Ctrl+Alt+F${index + 1}`, keys: [CONTROL, ALT, functionKey(index + 1)] })),
  { id: 'print-screen', label: 'PrintScreen', keys: [{ keysym: 0xff61, code: 'PrintScreen' }] },
];

/** The key events of a combination, in the order they are sent. */
export function keyEvents(combo: KeyCombo): Array<KeyStroke & { down: boolean }> {
  return [...combo.keys.map((key) => ({ ...key, down: true })), ...[...combo.keys].reverse().map((key) => ({ ...key, down: false }))];
}

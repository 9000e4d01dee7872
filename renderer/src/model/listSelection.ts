/**
 * Multi-selection in a list, as file managers do it: click selects one, Ctrl/Cmd+click
 * toggles, Shift+click selects the range from the anchor, Ctrl/Cmd+A selects everything.
 * Pure functions over the list's keys in display order, so sorting and filtering just work.
 */
export interface ListSelection {
  selected: ReadonlySet<string>;
  /** Where a Shift range starts. */
  anchor: string | null;
  /** The row the keyboard is on. */
  focus: string | null;
}

export const emptySelection: ListSelection = { selected: new Set(), anchor: null, focus: null };

export interface ClickModifiers {
  /** Shift: select the range from the anchor. */
  range?: boolean;
  /** Ctrl (Cmd on macOS): add or remove one row, or add a range to the selection. */
  toggle?: boolean;
}

function rangeKeys(keys: readonly string[], from: string | null, to: string): string[] {
  const end = keys.indexOf(to);
  if (end < 0) return [];
  const start = from === null ? -1 : keys.indexOf(from);
  if (start < 0) return [to];
  const [low, high] = start <= end ? [start, end] : [end, start];
  return keys.slice(low, high + 1);
}

export function clickSelection(selection: ListSelection, keys: readonly string[], key: string, modifiers: ClickModifiers = {}): ListSelection {
  if (modifiers.range) {
    const range = rangeKeys(keys, selection.anchor, key);
    const selected = new Set(modifiers.toggle ? selection.selected : []);
    for (const item of range) selected.add(item);
    return { selected, anchor: selection.anchor ?? key, focus: key };
  }
  if (modifiers.toggle) {
    const selected = new Set(selection.selected);
    if (selected.has(key)) selected.delete(key);
    else selected.add(key);
    return { selected, anchor: key, focus: key };
  }
  return { selected: new Set([key]), anchor: key, focus: key };
}

/** Space on the focused row. */
export function toggleFocused(selection: ListSelection): ListSelection {
  if (selection.focus === null) return selection;
  return clickSelection(selection, [], selection.focus, { toggle: true });
}

export function selectAll(selection: ListSelection, keys: readonly string[]): ListSelection {
  return { selected: new Set(keys), anchor: selection.anchor ?? keys[0] ?? null, focus: selection.focus ?? keys[0] ?? null };
}

/** Keys that move the focus, and how far. */
export type FocusMove = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

export function movedIndex(current: number, count: number, move: FocusMove, pageSize: number): number {
  if (count === 0) return -1;
  const page = Math.max(1, pageSize);
  const next =
    current < 0
      ? move === 'end' || move === 'up' || move === 'pageUp'
        ? count - 1
        : 0
      : move === 'up'
        ? current - 1
        : move === 'down'
          ? current + 1
          : move === 'pageUp'
            ? current - page
            : move === 'pageDown'
              ? current + page
              : move === 'home'
                ? 0
                : count - 1;
  return Math.min(count - 1, Math.max(0, next));
}

/**
 * Moves the focus. Alone it leaves the selection as it is (Space toggles); with Shift it
 * selects the range from the anchor to the new row.
 */
export function moveFocus(
  selection: ListSelection,
  keys: readonly string[],
  indexOfKey: (key: string) => number,
  move: FocusMove,
  pageSize: number,
  extend = false,
): ListSelection {
  const current = selection.focus === null ? -1 : indexOfKey(selection.focus);
  const target = keys[movedIndex(current, keys.length, move, pageSize)];
  if (target === undefined) return selection;
  if (extend) return clickSelection({ ...selection, anchor: selection.anchor ?? selection.focus ?? target }, keys, target, { range: true });
  return { ...selection, focus: target };
}

/** Drops selected keys that are no longer in the list. */
export function retainSelection(selection: ListSelection, present: (key: string) => boolean): ListSelection {
  let changed = false;
  const selected = new Set<string>();
  for (const key of selection.selected) {
    if (present(key)) selected.add(key);
    else changed = true;
  }
  const focus = selection.focus !== null && present(selection.focus) ? selection.focus : null;
  const anchor = selection.anchor !== null && present(selection.anchor) ? selection.anchor : null;
  if (!changed && focus === selection.focus && anchor === selection.anchor) return selection;
  return { selected, anchor, focus };
}

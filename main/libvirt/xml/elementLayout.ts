/**
 * Where a new child element goes among its siblings, and how it is indented.
 *
 * libvirt reads most children in any order, but writes them in a fixed one; new elements go
 * where libvirt would put them, so a changed document reads like one libvirt wrote and a
 * later `dumpxml` differs only where the change was. Indentation follows the document: a
 * pretty-printed one stays pretty, a one-line one stays on one line.
 */
import type { Document, Element, Node } from '@xmldom/xmldom';
import { ELEMENT_NODE, TEXT_NODE } from './childElements.js';

/**
 * libvirt's order of children, keyed by the parent's local name. Parents that share a name
 * in one kind of document (a disk's `<target>` and a serial port's) share one list; names not
 * listed go after the listed ones.
 */
export type ChildOrder = ReadonlyMap<string, readonly string[]>;

const INDENT_STEP = '  ';

function isBlank(node: Node | null): boolean {
  return node !== null && node.nodeType === TEXT_NODE && /^\s*$/.test(node.nodeValue ?? '');
}

/** The whitespace after the last line break of a blank text node, or undefined if it has none. */
function lineIndent(node: Node | null): string | undefined {
  if (!isBlank(node)) return undefined;
  const value = node?.nodeValue ?? '';
  const lineBreak = value.lastIndexOf('\n');
  return lineBreak === -1 ? undefined : value.slice(lineBreak + 1);
}

function ownerOf(node: Node): Document {
  if (!node.ownerDocument) throw new Error('the node belongs to no document');
  return node.ownerDocument;
}

function firstElementChild(parent: Node): Element | undefined {
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) return node as Element;
  }
  return undefined;
}

/** How the children of a parent are indented: undefined when they are not (compact XML). */
function childIndent(parent: Element, pretty: boolean): string | undefined {
  const first = firstElementChild(parent);
  if (first) return lineIndent(first.previousSibling);
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (!isBlank(node)) return undefined; // text or comments only: leave its layout alone
  }
  if (!pretty) return undefined;
  const own = parent.parentNode?.nodeType === ELEMENT_NODE ? lineIndent(parent.previousSibling) : '';
  return own === undefined ? undefined : own + INDENT_STEP;
}

/** The element after which a child named `name` belongs, or null when it belongs first. */
function predecessor(parent: Element, name: string, order: readonly string[] | undefined): Element | null {
  const rank = order?.indexOf(name) ?? -1;
  let last: Element | null = null;
  let lastRanked: Element | null = null;
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    last = node as Element;
    const siblingRank = order?.indexOf(node.localName ?? '') ?? -1;
    if (rank !== -1 && siblingRank !== -1 && siblingRank <= rank) lastRanked = last;
  }
  // Unknown names go last; known ones after the last sibling that does not come later.
  if (rank === -1) return last;
  if (lastRanked) return lastRanked;
  // Nothing earlier: before the first ranked sibling, after any unranked ones ahead of it.
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== ELEMENT_NODE) continue;
    if ((order?.indexOf(node.localName ?? '') ?? -1) !== -1) break;
    lastRanked = node as Element;
  }
  return lastRanked;
}

/**
 * Re-indents a subtree inserted at `indent` (a fragment parsed elsewhere), where its elements
 * hold only elements: there, whitespace means nothing to libvirt.
 */
function reindent(element: Element, indent: string): void {
  let hasElement = false;
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE) hasElement = true;
    else if (node.nodeType === TEXT_NODE && !isBlank(node)) return;
  }
  if (!hasElement) return;
  const document = ownerOf(element);
  for (let node = element.firstChild; node !== null; ) {
    const next = node.nextSibling;
    if (isBlank(node)) element.removeChild(node);
    node = next;
  }
  const inner = indent + INDENT_STEP;
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    element.insertBefore(document.createTextNode(`\n${inner}`), node);
    if (node.nodeType === ELEMENT_NODE) reindent(node as Element, inner);
  }
  element.appendChild(document.createTextNode(`\n${indent}`));
}

/**
 * Inserts `child` into `parent` where libvirt's order puts it: after its same-named siblings,
 * before the siblings libvirt writes later.
 */
export function insertChild(parent: Element, child: Element, order: ChildOrder, pretty: boolean): Element {
  const document = ownerOf(parent);
  const after = predecessor(parent, child.localName ?? child.nodeName, order.get(parent.localName ?? ''));
  const indent = childIndent(parent, pretty);
  if (indent === undefined) {
    parent.insertBefore(child, after ? after.nextSibling : firstElementChild(parent) ?? null);
    return child;
  }
  reindent(child, indent);
  const line = (): Node => document.createTextNode(`\n${indent}`);
  if (after) {
    // [.., after, ws, next] → [.., after, ws', child, ws, next]
    parent.insertBefore(child, after.nextSibling);
    parent.insertBefore(line(), child);
    return child;
  }
  const first = firstElementChild(parent);
  if (first) {
    // [ws, first] → [ws, child, ws', first]
    parent.insertBefore(child, first);
    parent.insertBefore(line(), first);
    return child;
  }
  // An empty parent: open a line for the child and one for the closing tag.
  const closing = parent.lastChild !== null && isBlank(parent.lastChild) ? parent.lastChild : null;
  if (closing) closing.nodeValue = `\n${indent.slice(INDENT_STEP.length)}`;
  else parent.appendChild(document.createTextNode(`\n${indent.slice(INDENT_STEP.length)}`));
  parent.insertBefore(child, parent.lastChild);
  parent.insertBefore(line(), child);
  return child;
}

/** Removes a node with the indentation in front of it, so no blank line is left behind. */
export function removeChild(node: Node): void {
  const parent = node.parentNode;
  if (!parent) return;
  const before = node.previousSibling;
  if (lineIndent(before) !== undefined && before !== null) parent.removeChild(before);
  parent.removeChild(node);
  // An element left with only whitespace is written `<name/>`, as libvirt would.
  if (parent.firstChild !== null && parent.firstChild === parent.lastChild && isBlank(parent.firstChild)) {
    parent.removeChild(parent.firstChild);
  }
}

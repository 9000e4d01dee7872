/**
 * Compares XML documents as libvirt sees them: elements, attributes (in any order), text,
 * comments and processing instructions, in order; whitespace between elements does not count.
 * Parses with xmldom directly, not with the document layer under test.
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';

export type CanonicalNode =
  | { kind: 'element'; name: string; attributes: Record<string, string>; children: CanonicalNode[] }
  | { kind: 'text'; value: string }
  | { kind: 'comment'; value: string }
  | { kind: 'pi'; target: string; value: string };

function canonicalChildren(parent: Node): CanonicalNode[] {
  const nodes: CanonicalNode[] = [];
  let hasMarkup = false;
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== 3 && node.nodeType !== 4) hasMarkup = true;
  }
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    const last = nodes.at(-1);
    switch (node.nodeType) {
      case 1:
        nodes.push(canonicalElement(node as Element));
        break;
      case 3:
      case 4: {
        const value = node.nodeValue ?? '';
        // Indentation means nothing to libvirt: whitespace between elements, or the line break
        // libvirt writes inside an empty <source>. Other text, even a lone space, does.
        if (/^\s*$/.test(value) && (hasMarkup || value.includes('\n'))) break;
        if (last?.kind === 'text') last.value += value;
        else nodes.push({ kind: 'text', value });
        break;
      }
      case 7:
        nodes.push({ kind: 'pi', target: node.nodeName, value: node.nodeValue ?? '' });
        break;
      case 8:
        nodes.push({ kind: 'comment', value: node.nodeValue ?? '' });
        break;
    }
  }
  return nodes;
}

function canonicalElement(element: Element): CanonicalNode {
  const attributes: Record<string, string> = {};
  const names: string[] = [];
  for (let i = 0; i < element.attributes.length; i++) names.push(element.attributes.item(i)?.name ?? '');
  for (const name of names.sort()) attributes[name] = element.getAttribute(name) ?? '';
  const name = element.namespaceURI ? `${element.tagName} {${element.namespaceURI}}` : element.tagName;
  return { kind: 'element', name, attributes, children: canonicalChildren(element) };
}

/** The canonical form of a whole document: its top-level comments, PIs and root element. */
export function canonicalXml(xml: string): CanonicalNode[] {
  const document = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
    // XML 1.0 line ends; xmldom's default would also fold U+2028 into a newline and hide a change.
    normalizeLineEndings: (source) => source.replace(/\r\n?/g, '\n'),
  }).parseFromString(xml, 'text/xml');
  return canonicalChildren(document);
}

function key(node: CanonicalNode): string {
  return JSON.stringify(node);
}

function label(node: CanonicalNode): string {
  switch (node.kind) {
    case 'element': return node.name.split(' ')[0] ?? node.name;
    case 'text': return 'text()';
    case 'comment': return 'comment()';
    case 'pi': return `processing-instruction(${node.target})`;
  }
}

/** XPath-like step names for children: `disk[2]` where a name repeats. */
function stepNames(nodes: CanonicalNode[]): string[] {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(label(node), (counts.get(label(node)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return nodes.map((node) => {
    const name = label(node);
    const index = (seen.get(name) ?? 0) + 1;
    seen.set(name, index);
    return (counts.get(name) ?? 0) > 1 ? `${name}[${index}]` : name;
  });
}

/** Longest common subsequence of two lists of keys, as index pairs. */
function commonPairs(a: string[], b: string[]): [number, number][] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] = a[i] === b[j] ? (table[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(table[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if ((table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

function diffNodes(path: string, before: CanonicalNode, after: CanonicalNode, out: string[]): void {
  if (before.kind === 'element' && after.kind === 'element') {
    for (const name of new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])) {
      const old = before.attributes[name];
      const now = after.attributes[name];
      if (old === now) continue;
      out.push(`${old === undefined ? '+' : now === undefined ? '-' : '~'} ${path}/@${name}`);
    }
    diffChildren(path, before.children, after.children, out);
  } else if (key(before) !== key(after)) {
    out.push(`~ ${path}`);
  }
}

function diffChildren(path: string, before: CanonicalNode[], after: CanonicalNode[], out: string[]): void {
  const beforeNames = stepNames(before);
  const afterNames = stepNames(after);
  const pairs = commonPairs(before.map(key), after.map(key));
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [before.length, after.length] as [number, number]]) {
    // In each gap, nodes of the same kind and name are the same node changed; the rest came or went.
    const removed = before.slice(i, pi).map((node, k) => ({ node, name: beforeNames[i + k] ?? '' }));
    const added = after.slice(j, pj).map((node, k) => ({ node, name: afterNames[j + k] ?? '' }));
    for (const old of removed) {
      const match = added.findIndex((candidate) => label(candidate.node) === label(old.node) && candidate.node.kind === old.node.kind);
      if (match === -1) {
        out.push(`- ${path}/${old.name}`);
        continue;
      }
      const [now] = added.splice(match, 1);
      if (now) diffNodes(`${path}/${now.name}`, old.node, now.node, out);
    }
    for (const now of added) out.push(`+ ${path}/${now.name}`);
    i = pi + 1;
    j = pj + 1;
  }
}

/**
 * What differs between two documents, one line per node: `~ /domain/name/text()`,
 * `+ /domain/devices/disk[3]`, `- /domain/vcpu/@current`. Empty when they are the same.
 */
export function diffXml(before: string, after: string): string[] {
  const out: string[] = [];
  diffChildren('', canonicalXml(before), canonicalXml(after), out);
  return out;
}

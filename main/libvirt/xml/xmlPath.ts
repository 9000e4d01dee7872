/**
 * The XPath subset a property is bound to, walked without an XPath engine so that it can also
 * create what is missing (as virt-manager does for its XMLProperty paths):
 *
 *   ./name   ./@type   ./os/type/@arch   ./devices/graphics[@type='vnc']/@port
 *   ./ip[@family='ipv6']/dhcp/range[2]/@start   ./metadata/libosinfo:libosinfo/libosinfo:os/@id
 *
 * Steps are child elements (prefixed ones through a namespace map), with `[@attr='value']`
 * and `[n]` predicates; the path ends at an element (its text) or an attribute. Selection is
 * XPath's: the first match in document order.
 */
import type { Element } from '@xmldom/xmldom';
import { ELEMENT_NODE, attributeValue } from './childElements.js';
import type { XmlDocument } from './xmlDocument.js';

export type PathPredicate = { attribute: string; equals: string } | { position: number };

export interface PathStep {
  /** The element's name as written when one is created: `disk`, `libosinfo:os`. */
  qualifiedName: string;
  localName: string;
  namespaceUri: string | null;
  predicates: readonly PathPredicate[];
}

export interface XmlPath {
  readonly source: string;
  readonly steps: readonly PathStep[];
  /** Set when the path ends at an attribute (`./@port`); otherwise it ends at an element. */
  readonly attribute?: string;
}

export class XmlPathError extends Error {}

const NAME = '[A-Za-z_][\\w.-]*';
const STEP = new RegExp(`^(?:(${NAME}):)?(${NAME})((?:\\[(?:[^\\]'"]|'[^']*'|"[^"]*")*\\])*)$`);
const PREDICATE = /\[\s*(?:@([A-Za-z_][\w.-]*)\s*=\s*(?:'([^']*)'|"([^"]*)")|([1-9]\d*))\s*\]/y;
const ATTRIBUTE = new RegExp(`^@(${NAME})$`);

function parsePredicates(text: string, source: string): PathPredicate[] {
  const predicates: PathPredicate[] = [];
  PREDICATE.lastIndex = 0;
  while (PREDICATE.lastIndex < text.length) {
    const match = PREDICATE.exec(text);
    if (!match) throw new XmlPathError(`unsupported predicate in ${source}`);
    if (match[4] !== undefined) predicates.push({ position: Number(match[4]) });
    else predicates.push({ attribute: match[1] ?? '', equals: match[2] ?? match[3] ?? '' });
  }
  return predicates;
}

/** Splits at the slashes outside quoted literals (`[@file='/a/b']` is one step). */
function splitSteps(text: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '/') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Parses a path; a prefix must be in `namespaces` (prefix → URI). */
export function parseXmlPath(source: string, namespaces: Readonly<Record<string, string>> = {}): XmlPath {
  const parts = splitSteps(source === '.' ? '' : source.startsWith('./') ? source.slice(2) : source);
  const steps: PathStep[] = [];
  let attribute: string | undefined;
  for (const [index, part] of parts.entries()) {
    if (part === '' && parts.length > 1) throw new XmlPathError(`empty step (descendant axis?) in ${source}`);
    if (part === '' || part === '.') continue;
    const attributeMatch = ATTRIBUTE.exec(part);
    if (attributeMatch) {
      if (index !== parts.length - 1) throw new XmlPathError(`an attribute must end the path: ${source}`);
      attribute = attributeMatch[1];
      continue;
    }
    const match = STEP.exec(part);
    if (!match) throw new XmlPathError(`unsupported path step "${part}" in ${source}`);
    const [, prefix, localName = '', predicates = ''] = match;
    let namespaceUri: string | null = null;
    if (prefix !== undefined) {
      const uri = namespaces[prefix];
      if (uri === undefined) throw new XmlPathError(`namespace prefix "${prefix}" is not declared for ${source}`);
      namespaceUri = uri;
    }
    steps.push({
      qualifiedName: prefix === undefined ? localName : `${prefix}:${localName}`,
      localName,
      namespaceUri,
      predicates: parsePredicates(predicates, source),
    });
  }
  return attribute === undefined ? { source, steps } : { source, steps, attribute };
}

/** Children of `parent` that a step selects, predicates applied in order as XPath does. */
function stepMatches(parent: Element, step: PathStep): Element[] {
  let candidates: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === ELEMENT_NODE && node.localName === step.localName && (node.namespaceURI ?? null) === step.namespaceUri) {
      candidates.push(node as Element);
    }
  }
  for (const predicate of step.predicates) {
    if ('position' in predicate) {
      const chosen = candidates[predicate.position - 1];
      candidates = chosen ? [chosen] : [];
    } else {
      candidates = candidates.filter((element) => attributeValue(element, predicate.attribute) === predicate.equals);
    }
  }
  return candidates;
}

function findFrom(element: Element, steps: readonly PathStep[], index: number): Element | undefined {
  const step = steps[index];
  if (step === undefined) return element;
  // Depth first, so the result is the first match in document order, like XPath's.
  for (const candidate of stepMatches(element, step)) {
    const found = findFrom(candidate, steps, index + 1);
    if (found) return found;
  }
  return undefined;
}

/** The element the path's steps select under `context`, if any (the attribute is ignored). */
export function findElement(context: Element, path: XmlPath): Element | undefined {
  return findFrom(context, path.steps, 0);
}

/** The element the path's steps select, created (with its missing ancestors) when absent. */
export function ensureElement(document: XmlDocument, context: Element, path: XmlPath): Element {
  const existing = findElement(context, path);
  if (existing) return existing;
  let parent = context;
  for (const step of path.steps) {
    const match = stepMatches(parent, step)[0];
    if (match) {
      parent = match;
      continue;
    }
    const created = document.createElement(step.qualifiedName, step.namespaceUri);
    for (const predicate of step.predicates) {
      if ('attribute' in predicate) {
        created.setAttribute(predicate.attribute, predicate.equals);
      } else {
        const siblings = stepMatches(parent, { ...step, predicates: step.predicates.filter((p) => 'attribute' in p) });
        // `[3]` can be created only as the next one; a gap would shift what `[3]` means.
        if (predicate.position !== siblings.length + 1) {
          throw new XmlPathError(`cannot create ${step.qualifiedName}[${predicate.position}] after ${siblings.length} in ${path.source}`);
        }
      }
    }
    parent = document.insert(parent, created);
  }
  return parent;
}

/** True when an element carries nothing: no attributes, no children but whitespace. */
function isEmpty(element: Element): boolean {
  if (element.attributes.length > 0) return false;
  for (let node = element.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType !== 3 || !/^\s*$/.test(node.nodeValue ?? '')) return false;
  }
  return true;
}

/**
 * Removes `element`, then the ancestors that removing it left empty, up to (not including)
 * `context`: clearing `./target/path` of a pool leaves no bare `<target/>` behind.
 */
export function removeElement(document: XmlDocument, context: Element, element: Element): void {
  let parent = element.parentNode as Element | null;
  document.remove(element);
  while (parent !== null && parent !== context && parent.nodeType === ELEMENT_NODE && isEmpty(parent)) {
    const next = parent.parentNode as Element | null;
    document.remove(parent);
    parent = next;
  }
}

/**
 * Direct child walks over a parsed document. Model readers run these over every domain of
 * every host, so they walk sibling links instead of evaluating XPath.
 */
import type { CharacterData, Element, Node } from '@xmldom/xmldom';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const CDATA_SECTION_NODE = 4;

export function isElement(node: Node | null | undefined): node is Element {
  return node !== null && node !== undefined && node.nodeType === ELEMENT_NODE;
}

/** Elements with no prefix in a path or a model are in no namespace, as in XPath. */
function matches(node: Node, localName: string, namespaceUri: string | null): boolean {
  return node.nodeType === ELEMENT_NODE && node.localName === localName && (node.namespaceURI ?? null) === namespaceUri;
}

export function firstChildElement(
  parent: Node | undefined,
  localName: string,
  namespaceUri: string | null = null,
): Element | undefined {
  for (let node = parent?.firstChild ?? null; node !== null; node = node.nextSibling) {
    if (matches(node, localName, namespaceUri)) return node as Element;
  }
  return undefined;
}

/** Child elements in document order; all of them when no name is given. */
export function childElements(parent: Node | undefined, localName?: string, namespaceUri: string | null = null): Element[] {
  const result: Element[] = [];
  for (let node = parent?.firstChild ?? null; node !== null; node = node.nextSibling) {
    if (localName === undefined ? node.nodeType === ELEMENT_NODE : matches(node, localName, namespaceUri)) {
      result.push(node as Element);
    }
  }
  return result;
}

/** The element's own text (text and CDATA children, not descendants'); '' when it has none. */
export function elementText(element: Element | undefined): string | undefined {
  if (element === undefined) return undefined;
  const first = element.firstChild;
  // The common case, `<name>web01</name>`, needs no concatenation.
  if (first !== null && first.nextSibling === null && first.nodeType === TEXT_NODE) return (first as CharacterData).data;
  let text = '';
  for (let node = first; node !== null; node = node.nextSibling) {
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) text += (node as CharacterData).data;
  }
  return text;
}

/** An attribute's value, or undefined when the element or the attribute is missing. */
export function attributeValue(element: Element | undefined, name: string): string | undefined {
  return element?.getAttributeNode(name)?.value ?? undefined;
}

/** Text of the first child element with that name: `childText(domain, 'name')`. */
export function childText(parent: Node | undefined, localName: string): string | undefined {
  return elementText(firstChildElement(parent, localName));
}

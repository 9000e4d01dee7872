/**
 * A libvirt XML document as a DOM (xmldom) that keeps everything it was given: elements and
 * attributes the app does not know, comments, processing instructions, order and layout.
 * Reading it, changing one node and writing it back leaves the rest as it was.
 */
import { DOMImplementation, DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { ELEMENT_NODE, TEXT_NODE } from './childElements.js';
import { insertChild, removeChild, type ChildOrder } from './elementLayout.js';
import { cacheXmldomGrammarRegexes } from './xmldomRegexCache.js';
import { serializeXml } from './xmlSerializer.js';

export class XmlParseError extends Error {}

const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlDocumentOptions {
  /** libvirt's order of children for this kind of document; new elements follow it. */
  order?: ChildOrder;
}

const NO_ORDER: ChildOrder = new Map();

cacheXmldomGrammarRegexes();

function parseDom(xml: string): Document {
  const problems: string[] = [];
  let dom: Document | undefined;
  try {
    dom = new DOMParser({
      // Line numbers on every node cost time and memory nobody reads.
      locator: false,
      // Every report is about input libxml2 would refuse (even xmldom's "warnings").
      onError: (_level, message) => problems.push(message),
      // XML 1.0 line ends only: the default also folds U+2028 and U+0085 into newlines.
      normalizeLineEndings: (source) => source.replace(/\r\n?/g, '\n'),
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    if (problems.length === 0) problems.push(error instanceof Error ? error.message : String(error));
  }
  if (problems.length > 0 || !dom?.documentElement) {
    throw new XmlParseError(`malformed XML: ${problems[0] ?? 'no root element'}`);
  }
  return dom;
}

/** Namespace URI bound to `prefix` at `element`, looking at the declarations in scope. */
function namespaceInScope(element: Element, prefix: string): string | undefined {
  for (let node: Node | null = element; node !== null && node.nodeType === ELEMENT_NODE; node = node.parentNode) {
    const declaration = (node as Element).getAttributeNode(`xmlns:${prefix}`);
    if (declaration) return declaration.value;
  }
  return undefined;
}

/** Every `xmlns:prefix` declaration in scope at `element`, innermost first wins. */
function declarationsInScope(element: Element): Map<string, string> {
  const declarations = new Map<string, string>();
  for (let node: Node | null = element; node !== null && node.nodeType === ELEMENT_NODE; node = node.parentNode) {
    const attributes = (node as Element).attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attribute = attributes.item(i);
      if (attribute?.name.startsWith('xmlns:') && !declarations.has(attribute.name)) declarations.set(attribute.name, attribute.value);
    }
  }
  return declarations;
}

export class XmlDocument {
  private constructor(
    readonly dom: Document,
    private readonly order: ChildOrder,
    /** Whether new elements are indented; a parsed document keeps the layout it came with. */
    private readonly pretty: boolean,
  ) {}

  /** Parses XML text; throws XmlParseError when it is not well-formed. */
  static parse(xml: string, options: XmlDocumentOptions = {}): XmlDocument {
    const dom = parseDom(xml);
    let pretty = false;
    for (let node = dom.documentElement?.firstChild ?? null; node !== null && !pretty; node = node.nextSibling) {
      pretty = node.nodeType === TEXT_NODE && /^\s*\n\s*$/.test(node.nodeValue ?? '');
    }
    return new XmlDocument(dom, options.order ?? NO_ORDER, pretty);
  }

  /** A new document holding only an empty root element; what is added to it is indented. */
  static create(rootName: string, options: XmlDocumentOptions = {}): XmlDocument {
    const dom = new DOMImplementation().createDocument(null, rootName, null);
    return new XmlDocument(dom, options.order ?? NO_ORDER, true);
  }

  get root(): Element {
    // parse() and create() both guarantee a root element.
    return this.dom.documentElement as Element;
  }

  toXml(): string {
    const xml = serializeXml(this.dom);
    // libvirt ends its documents with a newline; so does a document created here.
    return this.pretty && !xml.endsWith('\n') ? `${xml}\n` : xml;
  }

  /** True when `node` belongs to this document (a caller must not mix documents). */
  owns(node: Node): boolean {
    return node.ownerDocument === this.dom || node === this.dom;
  }

  /**
   * A new element, not yet in the tree. A prefixed name needs its namespace; the prefix is
   * declared on the element when it is inserted where the prefix is not yet bound.
   */
  createElement(qualifiedName: string, namespaceUri: string | null = null): Element {
    return this.dom.createElementNS(namespaceUri, qualifiedName);
  }

  /** Inserts `child` (new, or parsed by parseFragment) into `parent` in libvirt's order. */
  insert(parent: Element, child: Element): Element {
    if (!this.owns(parent) || !this.owns(child)) throw new Error('the element belongs to another document');
    const prefix = child.prefix;
    if (prefix && child.namespaceURI && namespaceInScope(parent, prefix) !== child.namespaceURI) {
      child.setAttributeNS(XMLNS_NAMESPACE, `xmlns:${prefix}`, child.namespaceURI);
    }
    return insertChild(parent, child, this.order, this.pretty);
  }

  /** Removes an element (or any node) and the indentation in front of it. */
  remove(node: Node): void {
    if (!this.owns(node)) throw new Error('the node belongs to another document');
    removeChild(node);
  }

  /**
   * Parses an XML fragment with exactly one root element, for insertion under `context`:
   * prefixes declared on `context` or its ancestors may be used in it undeclared.
   */
  parseFragment(xml: string, context: Element = this.root): Element {
    const declarations = [...declarationsInScope(context)]
      .map(([name, uri]) => ` ${name}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join('');
    const wrapper = parseDom(`<fragment${declarations}>${xml}</fragment>`).documentElement as Element;
    let element: Element | undefined;
    for (let node = wrapper.firstChild; node !== null; node = node.nextSibling) {
      const stray = node.nodeType === ELEMENT_NODE ? element !== undefined : node.nodeType === TEXT_NODE && !/^\s*$/.test(node.nodeValue ?? '');
      if (stray) throw new XmlParseError('the fragment must be exactly one element');
      if (node.nodeType === ELEMENT_NODE) element = node as Element;
    }
    if (!element) throw new XmlParseError('the fragment must be exactly one element');
    return this.dom.importNode(element, true);
  }
}

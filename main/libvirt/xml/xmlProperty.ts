/**
 * Typed properties bound to paths on a document, the virt-manager way
 * (`port = XMLProperty("./@port", is_int=True)`): one declaration says where a value lives
 * and how it converts, and reading, writing and clearing all go through the document, so
 * what the app does not know stays as it was.
 *
 * A property is relative to a context element: the document's root for `./name`, a device
 * element for `./target/@dev`. Setting creates missing elements in libvirt's order; clearing
 * an element removes the ancestors it leaves empty, clearing an attribute removes only it.
 */
import type { Element } from '@xmldom/xmldom';
import { CDATA_SECTION_NODE, TEXT_NODE, attributeValue, elementText } from './childElements.js';
import { sizeInUnit, unitFactor, type SizeUnit } from './sizeUnit.js';
import type { XmlDocument } from './xmlDocument.js';
import { ensureElement, findElement, parseXmlPath, removeElement, XmlPathError, type XmlPath } from './xmlPath.js';

export interface XmlProperty<T> {
  readonly path: XmlPath;
  /** The value at `context`, or undefined when it is absent or does not convert. */
  get(context: Element): T | undefined;
  set(document: XmlDocument, context: Element, value: T): void;
  clear(document: XmlDocument, context: Element): void;
}

export type Namespaces = Readonly<Record<string, string>>;

interface ValueCodec<T> {
  parse(text: string): T | undefined;
  format(value: T): string;
}

/** Replaces an element's text, keeping any child elements and comments it has. */
function setElementText(document: XmlDocument, element: Element, text: string): void {
  if (elementText(element) === text) return;
  for (let node = element.firstChild; node !== null; ) {
    const next = node.nextSibling;
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) element.removeChild(node);
    node = next;
  }
  if (text !== '') element.insertBefore(document.dom.createTextNode(text), element.firstChild);
}

class ValueProperty<T> implements XmlProperty<T> {
  constructor(
    readonly path: XmlPath,
    private readonly codec: ValueCodec<T>,
  ) {}

  get(context: Element): T | undefined {
    const element = findElement(context, this.path);
    const text = this.path.attribute === undefined ? elementText(element) : attributeValue(element, this.path.attribute);
    return text === undefined ? undefined : this.codec.parse(text);
  }

  set(document: XmlDocument, context: Element, value: T): void {
    const text = this.codec.format(value);
    const element = ensureElement(document, context, this.path);
    if (this.path.attribute === undefined) setElementText(document, element, text);
    else element.setAttribute(this.path.attribute, text);
  }

  clear(document: XmlDocument, context: Element): void {
    const element = findElement(context, this.path);
    if (!element) return;
    if (this.path.attribute !== undefined) element.removeAttribute(this.path.attribute);
    else if (element !== context) removeElement(document, context, element);
  }
}

/** An element whose presence is the value: `<readonly/>`, `<features><acpi/></features>`. */
class PresenceProperty implements XmlProperty<boolean> {
  constructor(readonly path: XmlPath) {}

  get(context: Element): boolean {
    return findElement(context, this.path) !== undefined;
  }

  set(document: XmlDocument, context: Element, value: boolean): void {
    if (value) ensureElement(document, context, this.path);
    else this.clear(document, context);
  }

  clear(document: XmlDocument, context: Element): void {
    const element = findElement(context, this.path);
    if (element && element !== context) removeElement(document, context, element);
  }
}

/** A size element with a `unit` attribute, in bytes; written in `unit`. */
class SizeProperty implements XmlProperty<number> {
  constructor(
    readonly path: XmlPath,
    private readonly unit: SizeUnit,
    private readonly defaultUnit: string,
  ) {}

  get(context: Element): number | undefined {
    const element = findElement(context, this.path);
    const text = elementText(element)?.trim();
    if (!text) return undefined;
    const value = Number(text);
    return Number.isFinite(value) ? value * unitFactor(attributeValue(element, 'unit'), this.defaultUnit) : undefined;
  }

  set(document: XmlDocument, context: Element, bytes: number): void {
    const text = sizeInUnit(bytes, this.unit);
    const element = ensureElement(document, context, this.path);
    setElementText(document, element, text);
    element.setAttribute('unit', this.unit);
  }

  clear(document: XmlDocument, context: Element): void {
    const element = findElement(context, this.path);
    if (element && element !== context) removeElement(document, context, element);
  }
}

const text: ValueCodec<string> = { parse: (value) => value, format: (value) => value };

const integer: ValueCodec<number> = {
  // libvirt writes addresses in hex (`slot='0x1f'`) and counts in decimal.
  parse: (value) => {
    const trimmed = value.trim();
    if (/^[+-]?\d+$/.test(trimmed)) return Number(trimmed);
    if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
    return undefined;
  },
  format: (value) => {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number`);
    return String(value);
  },
};

function switchCodec(on: string, off: string): ValueCodec<boolean> {
  return {
    parse: (value) => (value === on ? true : value === off ? false : undefined),
    format: (value) => (value ? on : off),
  };
}

function elementPath(path: string, namespaces: Namespaces | undefined): XmlPath {
  const parsed = parseXmlPath(path, namespaces);
  if (parsed.attribute !== undefined) throw new XmlPathError(`${path} must end at an element`);
  return parsed;
}

export function stringProperty(path: string, namespaces?: Namespaces): XmlProperty<string> {
  return new ValueProperty(parseXmlPath(path, namespaces), text);
}

/** Whole numbers; reads decimal and 0x-hex, writes decimal. */
export function intProperty(path: string, namespaces?: Namespaces): XmlProperty<number> {
  return new ValueProperty(parseXmlPath(path, namespaces), integer);
}

/** libvirt's `yes`/`no` switches (`autoport='yes'`). */
export function yesNoProperty(path: string, namespaces?: Namespaces): XmlProperty<boolean> {
  return new ValueProperty(parseXmlPath(path, namespaces), switchCodec('yes', 'no'));
}

/** libvirt's `on`/`off` switches (`<smm state='on'/>`). */
export function onOffProperty(path: string, namespaces?: Namespaces): XmlProperty<boolean> {
  return new ValueProperty(parseXmlPath(path, namespaces), switchCodec('on', 'off'));
}

export function presenceProperty(path: string, namespaces?: Namespaces): XmlProperty<boolean> {
  return new PresenceProperty(elementPath(path, namespaces));
}

/**
 * A size in bytes, written in `unit` with a `unit` attribute; read in any unit, and in
 * `defaultUnit` when the element has none (domain memory defaults to KiB, volumes to bytes).
 */
export function sizeProperty(path: string, unit: SizeUnit, defaultUnit: string = unit): XmlProperty<number> {
  return new SizeProperty(elementPath(path, undefined), unit, defaultUnit);
}

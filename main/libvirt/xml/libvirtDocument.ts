/**
 * What every per-kind document (domain, network, pool, volume, snapshot) shares: an object's
 * XML held as a document, typed properties read and written on it, and the text written back.
 */
import type { Element } from '@xmldom/xmldom';
import type { ChildOrder } from './elementLayout.js';
import { XmlDocument } from './xmlDocument.js';
import { stringProperty, type XmlProperty } from './xmlProperty.js';
import { serializeXml } from './xmlSerializer.js';

/** Parses `xml` and checks that its root is `rootName`; `what` names the kind in the error. */
export function parseKind(xml: string, rootName: string, what: string, order: ChildOrder): XmlDocument {
  const document = XmlDocument.parse(xml, { order });
  if (document.root.localName !== rootName || document.root.namespaceURI) throw new Error(`not a ${what} XML document`);
  return document;
}

/** Every kind of object libvirt defines has its name in `<name>`. */
const NAME = stringProperty('./name');

export abstract class LibvirtDocument {
  protected constructor(
    readonly xml: XmlDocument,
    /** The object's element: the document's root, or one inside it (a snapshot's domain). */
    readonly root: Element,
  ) {
    if (!xml.owns(root)) throw new Error('the element belongs to another document');
  }

  /** A property's value at `at` (the object's element unless given). */
  get<T>(property: XmlProperty<T>, at: Element = this.root): T | undefined {
    return property.get(this.mine(at));
  }

  /** Sets one value; missing elements on the way are created in libvirt's order. */
  set<T>(property: XmlProperty<T>, value: T, at: Element = this.root): void {
    property.set(this.xml, this.mine(at), value);
  }

  clear(property: XmlProperty<unknown>, at: Element = this.root): void {
    property.clear(this.xml, this.mine(at));
  }

  /** The object's name; renaming a defined object is `virsh domrename` (or define + undefine). */
  setName(name: string): void {
    this.set(NAME, name);
  }

  /** Sets the value, or clears it when it is undefined (an optional field of a form). */
  protected setOrClear<T>(property: XmlProperty<T>, value: T | undefined, at: Element = this.root): void {
    if (value === undefined) this.clear(property, at);
    else this.set(property, value, at);
  }

  /** The XML to define the object with. */
  toXml(): string {
    return this.root === this.xml.root ? this.xml.toXml() : serializeXml(this.root);
  }

  private mine(element: Element): Element {
    if (!this.xml.owns(element)) throw new Error('the element belongs to another document');
    return element;
  }
}

/**
 * Writes a document back as text, the way libvirt writes it (attributes in single quotes).
 * Own code rather than xmldom's XMLSerializer: that one writes a carriage return in text raw,
 * which every parser reads back as a newline, so `\r` would not survive a round trip.
 */
import type { Attr, CharacterData, Document, DocumentType, Element, Node, ProcessingInstruction } from '@xmldom/xmldom';

const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;',
  // A parser turns raw tabs and line breaks in an attribute into spaces; references keep them.
  '\t': '&#9;', '\n': '&#10;', '\r': '&#13;',
};
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Characters XML 1.0 cannot carry at all, not even as a character reference. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export class XmlSerializeError extends Error {}

function checked(value: string): string {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new XmlSerializeError(`U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML`);
  }
  return value;
}

function escapeAttribute(value: string): string {
  return checked(value).replace(/[&<>'"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);
}

function escapeText(value: string): string {
  return checked(value).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

function writeElement(element: Element, out: string[]): void {
  out.push('<', element.tagName);
  const attributes = element.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes.item(i) as Attr;
    out.push(' ', attribute.name, "='", escapeAttribute(attribute.value), "'");
  }
  if (element.firstChild === null) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (let node: Node | null = element.firstChild; node !== null; node = node.nextSibling) writeNode(node, out);
  out.push('</', element.tagName, '>');
}

function writeDoctype(doctype: DocumentType, out: string[]): void {
  out.push('<!DOCTYPE ', doctype.name);
  if (doctype.publicId) out.push(' PUBLIC "', doctype.publicId, '" "', doctype.systemId, '"');
  else if (doctype.systemId) out.push(' SYSTEM "', doctype.systemId, '"');
  if (doctype.internalSubset) out.push(' [', doctype.internalSubset, ']');
  out.push('>');
}

function writeNode(node: Node, out: string[]): void {
  switch (node.nodeType) {
    case 1:
      writeElement(node as Element, out);
      return;
    case 3:
      out.push(escapeText((node as CharacterData).data));
      return;
    case 4:
      // `]]>` cannot occur inside a CDATA section; split it across two.
      out.push('<![CDATA[', checked((node as CharacterData).data).replaceAll(']]>', ']]]]><![CDATA[>'), ']]>');
      return;
    case 7: {
      const instruction = node as ProcessingInstruction;
      out.push('<?', instruction.target, instruction.data ? ` ${instruction.data}` : '', '?>');
      return;
    }
    case 8:
      out.push('<!--', checked((node as CharacterData).data), '-->');
      return;
    case 9:
    case 11:
      for (let child: Node | null = node.firstChild; child !== null; child = child.nextSibling) writeNode(child, out);
      return;
    case 10:
      writeDoctype(node as DocumentType, out);
      return;
    default:
      throw new XmlSerializeError(`cannot write a node of type ${node.nodeType}`);
  }
}

/** The node and everything in it as XML text; a document includes its prolog and comments. */
export function serializeXml(node: Document | Node): string {
  const out: string[] = [];
  writeNode(node, out);
  return out.join('');
}

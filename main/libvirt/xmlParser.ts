/** The XML parser configured once for libvirt documents; models read its plain objects. */
import { XMLParser } from 'fast-xml-parser';

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  // Names may begin or end with spaces; libvirt keeps them, so must we.
  trimValues: false,
  processEntities: true,
  // Elements that may repeat are always arrays, so a model never has to guess.
  isArray: (name) => ['disk', 'interface', 'ip', 'range', 'host', 'graphics', 'serial', 'console'].includes(name),
});

export function parseXml(xml: string): XmlNode {
  return parser.parse(xml) as XmlNode;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') return value as XmlNode;
  // `<name>text</name>` parses as a bare string; wrap it so text() works on it too.
  return { '#text': String(value) };
}

export function text(node: unknown, name?: string): string | undefined {
  const target = name === undefined ? node : (node as XmlNode | undefined)?.[name];
  if (target === undefined || target === null) return undefined;
  if (typeof target === 'string' || typeof target === 'number') return String(target);
  if (typeof target === 'object') {
    const inner = (target as XmlNode)['#text'];
    return inner === undefined ? '' : String(inner);
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const value = (node as XmlNode)[`@${name}`];
  return value === undefined ? undefined : String(value);
}

/** Converts a libvirt size element (`<memory unit='KiB'>…`) to bytes. */
export function sizeInBytes(node: unknown): number {
  const value = Number(text(node) ?? '0');
  const unit = (attr(node, 'unit') ?? 'bytes').toLowerCase();
  const factors: Record<string, number> = {
    b: 1, bytes: 1,
    k: 1024, kib: 1024, kb: 1000,
    m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
    g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
    t: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
  };
  return Number.isFinite(value) ? value * (factors[unit] ?? 1) : 0;
}

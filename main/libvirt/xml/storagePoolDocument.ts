/**
 * A storage pool's XML as a document: where its volumes live (target path) and what it is
 * made of (source host, directory, devices, name, format), each changed on its own.
 */
import type { Element } from '@xmldom/xmldom';
import { childElements, firstChildElement } from './childElements.js';
import type { ChildOrder } from './elementLayout.js';
import { LibvirtDocument, parseKind } from './libvirtDocument.js';
import { XmlDocument } from './xmlDocument.js';
import { intProperty, sizeProperty, stringProperty } from './xmlProperty.js';

export const STORAGE_POOL_CHILD_ORDER: ChildOrder = new Map<string, readonly string[]>([
  ['pool', ['name', 'uuid', 'capacity', 'allocation', 'available', 'features', 'source', 'target', 'refresh']],
  ['source', ['host', 'device', 'dir', 'adapter', 'name', 'initiator', 'format', 'auth', 'vendor', 'product', 'protocol']],
  ['target', ['path', 'permissions']],
  ['permissions', ['mode', 'owner', 'group', 'label']],
]);

export const STORAGE_POOL = {
  type: stringProperty('./@type'),
  name: stringProperty('./name'),
  uuid: stringProperty('./uuid'),
  capacity: sizeProperty('./capacity', 'bytes'),
  allocation: sizeProperty('./allocation', 'bytes'),
  available: sizeProperty('./available', 'bytes'),
  sourceHost: stringProperty('./source/host/@name'),
  sourcePort: intProperty('./source/host/@port'),
  sourceDir: stringProperty('./source/dir/@path'),
  sourceName: stringProperty('./source/name'),
  sourceFormat: stringProperty('./source/format/@type'),
  targetPath: stringProperty('./target/path'),
  targetMode: stringProperty('./target/permissions/mode'),
} as const;

export class StoragePoolDocument extends LibvirtDocument {
  private constructor(xml: XmlDocument) {
    super(xml, xml.root);
  }

  static parse(xml: string): StoragePoolDocument {
    return new StoragePoolDocument(parseKind(xml, 'pool', 'storage pool', STORAGE_POOL_CHILD_ORDER));
  }

  /** An empty `<pool type=…>`: dir, fs, netfs, logical, iscsi, disk, rbd, … */
  static create(type: string): StoragePoolDocument {
    const document = new StoragePoolDocument(XmlDocument.create('pool', { order: STORAGE_POOL_CHILD_ORDER }));
    document.set(STORAGE_POOL.type, type);
    return document;
  }

  /** The directory (or device directory) the pool's volumes appear in. */
  setTargetPath(path: string): void {
    this.set(STORAGE_POOL.targetPath, path);
  }

  /** The server of a netfs, iSCSI or Gluster pool; `port` only when not the protocol's own. */
  setSourceHost(name: string, port?: number): void {
    this.set(STORAGE_POOL.sourceHost, name);
    this.setOrClear(STORAGE_POOL.sourcePort, port);
  }

  /** The exported directory of a netfs pool. */
  setSourceDir(path: string | undefined): void {
    this.setOrClear(STORAGE_POOL.sourceDir, path);
  }

  /** The block devices a logical or disk pool is made of (all of them, replacing the list). */
  setSourceDevices(paths: readonly string[]): void {
    const source = this.sourceElement();
    for (const device of childElements(source, 'device')) this.xml.remove(device);
    if (paths.length === 0) return;
    const parent = source ?? this.xml.insert(this.root, this.xml.createElement('source'));
    for (const path of paths) this.xml.insert(parent, this.xml.createElement('device')).setAttribute('path', path);
  }

  /** The volume group of a logical pool, the RBD pool of an rbd one. */
  setSourceName(name: string | undefined): void {
    this.setOrClear(STORAGE_POOL.sourceName, name);
  }

  /** The file system (netfs: nfs, cifs) or label type (disk: gpt, dos) of the source. */
  setSourceFormat(format: string | undefined): void {
    this.setOrClear(STORAGE_POOL.sourceFormat, format);
  }

  sourceDevices(): string[] {
    return childElements(this.sourceElement(), 'device')
      .map((device) => device.getAttribute('path') ?? '')
      .filter((path) => path !== '');
  }

  private sourceElement(): Element | undefined {
    return firstChildElement(this.root, 'source');
  }
}

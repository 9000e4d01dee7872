/**
 * A storage volume's XML as a document (`vol-dumpxml`, or the definition for `vol-create`):
 * size, format and the backing image of a copy-on-write volume.
 */
import type { ChildOrder } from './elementLayout.js';
import { LibvirtDocument, parseKind } from './libvirtDocument.js';
import { XmlDocument } from './xmlDocument.js';
import { sizeProperty, stringProperty } from './xmlProperty.js';
import { firstChildElement } from './childElements.js';

export const STORAGE_VOLUME_CHILD_ORDER: ChildOrder = new Map<string, readonly string[]>([
  ['volume', ['name', 'key', 'source', 'capacity', 'allocation', 'physical', 'target', 'backingStore']],
  ['target', ['path', 'format', 'permissions', 'timestamps', 'encryption', 'compat', 'clusterSize', 'nocow', 'features']],
  ['backingStore', ['path', 'format', 'permissions', 'timestamps']],
  ['permissions', ['mode', 'owner', 'group', 'label']],
]);

export interface BackingStore {
  path: string;
  /** The backing image's format; libvirt probes it when absent, which is unsafe for raw. */
  format?: string;
}

export const STORAGE_VOLUME = {
  type: stringProperty('./@type'),
  name: stringProperty('./name'),
  key: stringProperty('./key'),
  capacity: sizeProperty('./capacity', 'bytes'),
  allocation: sizeProperty('./allocation', 'bytes'),
  physical: sizeProperty('./physical', 'bytes'),
  targetPath: stringProperty('./target/path'),
  format: stringProperty('./target/format/@type'),
  compat: stringProperty('./target/compat'),
  backingPath: stringProperty('./backingStore/path'),
  backingFormat: stringProperty('./backingStore/format/@type'),
  mode: stringProperty('./target/permissions/mode'),
  owner: stringProperty('./target/permissions/owner'),
  group: stringProperty('./target/permissions/group'),
} as const;

export class StorageVolumeDocument extends LibvirtDocument {
  private constructor(xml: XmlDocument) {
    super(xml, xml.root);
  }

  static parse(xml: string): StorageVolumeDocument {
    return new StorageVolumeDocument(parseKind(xml, 'volume', 'storage volume', STORAGE_VOLUME_CHILD_ORDER));
  }

  static create(): StorageVolumeDocument {
    return new StorageVolumeDocument(XmlDocument.create('volume', { order: STORAGE_VOLUME_CHILD_ORDER }));
  }

  /** The size the guest sees, in bytes (vol-resize grows a volume in place). */
  setCapacity(bytes: number): void {
    this.set(STORAGE_VOLUME.capacity, bytes);
  }

  /** How much to allocate up front, in bytes; 0 makes a sparse file. */
  setAllocation(bytes: number | undefined): void {
    this.setOrClear(STORAGE_VOLUME.allocation, bytes);
  }

  /** qcow2, raw, … */
  setFormat(format: string): void {
    this.set(STORAGE_VOLUME.format, format);
  }

  /** Who owns the new file and its permission bits (octal, as `0600`). */
  setPermissions(permissions: { owner: number; group: number; mode: string }): void {
    this.set(STORAGE_VOLUME.mode, permissions.mode);
    this.set(STORAGE_VOLUME.owner, String(permissions.owner));
    this.set(STORAGE_VOLUME.group, String(permissions.group));
  }

  /** The image a copy-on-write volume is layered on; undefined makes a standalone volume. */
  setBackingStore(backing: BackingStore | undefined): void {
    const existing = firstChildElement(this.root, 'backingStore');
    if (existing) this.xml.remove(existing);
    if (backing === undefined) return;
    this.set(STORAGE_VOLUME.backingPath, backing.path);
    if (backing.format !== undefined) this.set(STORAGE_VOLUME.backingFormat, backing.format);
  }
}

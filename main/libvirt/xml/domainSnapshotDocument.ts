/**
 * A domain snapshot's XML as a document (`snapshot-dumpxml`, or the definition for
 * `snapshot-create`). A dumped snapshot embeds the domain as it was; that part is a
 * DomainDocument over the same document.
 */
import type { Element } from '@xmldom/xmldom';
import { attributeValue, childElements, firstChildElement } from './childElements.js';
import { DOMAIN_CHILD_ORDER } from './domainChildOrder.js';
import { DomainDocument } from './domainDocument.js';
import type { ChildOrder } from './elementLayout.js';
import { LibvirtDocument, parseKind } from './libvirtDocument.js';
import { XmlDocument } from './xmlDocument.js';
import { intProperty, stringProperty } from './xmlProperty.js';

export const DOMAIN_SNAPSHOT_CHILD_ORDER: ChildOrder = new Map<string, readonly string[]>([
  ...DOMAIN_CHILD_ORDER,
  ['domainsnapshot', ['name', 'description', 'state', 'parent', 'creationTime', 'memory', 'disks', 'domain', 'inactiveDomain', 'cookie']],
  ['parent', ['name']],
  ['disks', ['disk']],
]);

export type SnapshotMode = 'no' | 'internal' | 'external' | 'manual';

export interface DiskSnapshot {
  /** The disk's target (vda) or source path, as libvirt accepts either. */
  disk: string;
  mode: SnapshotMode;
  /** Where an external snapshot's overlay goes; libvirt picks a name when absent. */
  file?: string;
}

export const DOMAIN_SNAPSHOT = {
  name: stringProperty('./name'),
  description: stringProperty('./description'),
  state: stringProperty('./state'),
  parent: stringProperty('./parent/name'),
  creationTime: intProperty('./creationTime'),
  memory: stringProperty('./memory/@snapshot'),
  memoryFile: stringProperty('./memory/@file'),
} as const;

const SNAPSHOT_DISK = { mode: stringProperty('./@snapshot'), file: stringProperty('./source/@file') } as const;

export class DomainSnapshotDocument extends LibvirtDocument {
  private constructor(xml: XmlDocument) {
    super(xml, xml.root);
  }

  static parse(xml: string): DomainSnapshotDocument {
    return new DomainSnapshotDocument(parseKind(xml, 'domainsnapshot', 'domain snapshot', DOMAIN_SNAPSHOT_CHILD_ORDER));
  }

  static create(): DomainSnapshotDocument {
    return new DomainSnapshotDocument(XmlDocument.create('domainsnapshot', { order: DOMAIN_SNAPSHOT_CHILD_ORDER }));
  }

  setDescription(description: string | undefined): void {
    this.setOrClear(DOMAIN_SNAPSHOT.description, description);
  }

  /** Whether the guest's memory is saved with the snapshot (`file` for an external one). */
  setMemory(mode: Exclude<SnapshotMode, 'manual'>, file?: string): void {
    this.set(DOMAIN_SNAPSHOT.memory, mode);
    this.setOrClear(DOMAIN_SNAPSHOT.memoryFile, mode === 'external' ? file : undefined);
  }

  /** How one disk is snapshotted; adds the disk to `<disks>` if it is not listed. */
  setDiskSnapshot(snapshot: DiskSnapshot): void {
    const disks = firstChildElement(this.root, 'disks') ?? this.xml.insert(this.root, this.xml.createElement('disks'));
    let disk = childElements(disks, 'disk').find((element) => attributeValue(element, 'name') === snapshot.disk);
    if (!disk) {
      disk = this.xml.insert(disks, this.xml.createElement('disk'));
      disk.setAttribute('name', snapshot.disk);
    }
    this.set(SNAPSHOT_DISK.mode, snapshot.mode, disk);
    this.setOrClear(SNAPSHOT_DISK.file, snapshot.mode === 'external' ? snapshot.file : undefined, disk);
  }

  diskSnapshots(): DiskSnapshot[] {
    return childElements(firstChildElement(this.root, 'disks'), 'disk').map((disk: Element) => {
      const entry: DiskSnapshot = { disk: attributeValue(disk, 'name') ?? '', mode: (this.get(SNAPSHOT_DISK.mode, disk) ?? 'no') as SnapshotMode };
      const file = this.get(SNAPSHOT_DISK.file, disk);
      if (file !== undefined) entry.file = file;
      return entry;
    });
  }

  /** The domain definition saved with the snapshot (absent in a definition to create one). */
  domain(): DomainDocument | undefined {
    const domain = firstChildElement(this.root, 'domain');
    return domain ? new DomainDocument(this.xml, domain) : undefined;
  }
}

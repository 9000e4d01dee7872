/** New snapshot definitions (for snapshot-create) from a typed draft. */
import { DomainSnapshotDocument, type DiskSnapshot, type SnapshotMode } from '../xml/domainSnapshotDocument.js';

export interface DomainSnapshotDraft {
  name: string;
  description?: string;
  /** Whether the running guest's memory is saved too; libvirt decides when absent. */
  memory?: Exclude<SnapshotMode, 'manual'>;
  memoryFile?: string;
  /** Disks to snapshot a particular way; libvirt's default for the rest. */
  disks?: DiskSnapshot[];
}

export function createDomainSnapshotDocument(draft: DomainSnapshotDraft): DomainSnapshotDocument {
  const document = DomainSnapshotDocument.create();
  document.setName(draft.name);
  document.setDescription(draft.description);
  if (draft.memory !== undefined) document.setMemory(draft.memory, draft.memoryFile);
  for (const disk of draft.disks ?? []) document.setDiskSnapshot(disk);
  return document;
}

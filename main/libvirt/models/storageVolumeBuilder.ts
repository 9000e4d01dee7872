/** New storage volume definitions (for vol-create) from a typed draft. */
import { StorageVolumeDocument, type BackingStore } from '../xml/storageVolumeDocument.js';

export interface StorageVolumeDraft {
  name: string;
  capacityBytes: number;
  /** Allocated up front; libvirt allocates all of it when absent (0 makes a sparse file). */
  allocationBytes?: number;
  /** qcow2, raw, …; the pool's default when absent. */
  format?: string;
  backingStore?: BackingStore;
}

export function createStorageVolumeDocument(draft: StorageVolumeDraft): StorageVolumeDocument {
  const document = StorageVolumeDocument.create();
  document.setName(draft.name);
  document.setCapacity(draft.capacityBytes);
  document.setAllocation(draft.allocationBytes);
  if (draft.format !== undefined) document.setFormat(draft.format);
  document.setBackingStore(draft.backingStore);
  return document;
}

/** New storage pool definitions from a typed draft, through the pool document's typed changes. */
import { StoragePoolDocument } from '../xml/storagePoolDocument.js';

/** What a pool is made of; which parts apply depends on its type (netfs: host and dir). */
export interface StoragePoolSourceDraft {
  host?: string;
  port?: number;
  dir?: string;
  devices?: string[];
  name?: string;
  format?: string;
}

export interface StoragePoolDraft {
  name: string;
  /** dir, fs, netfs, logical, iscsi, disk, … */
  type: string;
  targetPath: string;
  source?: StoragePoolSourceDraft;
}

export function createStoragePoolDocument(draft: StoragePoolDraft): StoragePoolDocument {
  const document = StoragePoolDocument.create(draft.type);
  document.setName(draft.name);
  const source = draft.source;
  if (source?.host !== undefined) document.setSourceHost(source.host, source.port);
  if (source?.devices !== undefined) document.setSourceDevices(source.devices);
  document.setSourceDir(source?.dir);
  document.setSourceName(source?.name);
  document.setSourceFormat(source?.format);
  document.setTargetPath(draft.targetPath);
  return document;
}

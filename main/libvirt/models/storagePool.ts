/** Storage pool XML → typed model. */
import { attr, child, parseXml, sizeInBytes, text } from '../xmlParser.js';

export interface StoragePoolDefinition {
  name: string;
  uuid: string;
  type: string;
  path?: string;
  capacityBytes: number;
  allocationBytes: number;
  availableBytes: number;
}

export function parseStoragePoolXml(xml: string): StoragePoolDefinition {
  const pool = child(parseXml(xml), 'pool');
  if (!pool) throw new Error('not a storage pool XML document');
  const definition: StoragePoolDefinition = {
    name: text(pool, 'name') ?? '',
    uuid: text(pool, 'uuid') ?? '',
    type: attr(pool, 'type') ?? '',
    capacityBytes: sizeInBytes(child(pool, 'capacity')),
    allocationBytes: sizeInBytes(child(pool, 'allocation')),
    availableBytes: sizeInBytes(child(pool, 'available')),
  };
  const path = text(child(pool, 'target'), 'path');
  if (path) definition.path = path;
  return definition;
}

/** Storage pool XML → typed model, read from the pool's document. */
import { attributeValue, childText, firstChildElement } from '../xml/childElements.js';
import { sizeInBytes } from '../xml/sizeUnit.js';
import { StoragePoolDocument } from '../xml/storagePoolDocument.js';

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
  return readStoragePoolDefinition(StoragePoolDocument.parse(xml));
}

export function readStoragePoolDefinition(document: StoragePoolDocument): StoragePoolDefinition {
  const pool = document.root;
  const definition: StoragePoolDefinition = {
    name: childText(pool, 'name') ?? '',
    uuid: childText(pool, 'uuid') ?? '',
    type: attributeValue(pool, 'type') ?? '',
    capacityBytes: sizeInBytes(firstChildElement(pool, 'capacity')),
    allocationBytes: sizeInBytes(firstChildElement(pool, 'allocation')),
    availableBytes: sizeInBytes(firstChildElement(pool, 'available')),
  };
  const path = childText(firstChildElement(pool, 'target'), 'path');
  if (path) definition.path = path;
  return definition;
}

/**
 * A new pool's definition from what the form asked for: each type gets the source and target
 * libvirt needs for it (virt-manager's storage.py draws the same lines), built as a document.
 */
import type { PoolSpec } from '../../preload/contract.js';
import { StoragePoolDocument } from './xml/storagePoolDocument.js';

/** Where iSCSI LUNs appear: stable names, as libvirt's own documentation suggests. */
export const ISCSI_TARGET_PATH = '/dev/disk/by-path';

export function poolDefinition(spec: PoolSpec): StoragePoolDocument {
  const document = StoragePoolDocument.create(spec.type);
  document.setName(spec.name);
  switch (spec.type) {
    case 'dir':
      document.setTargetPath(spec.targetPath);
      break;
    case 'fs':
      document.setSourceDevices([spec.device]);
      document.setSourceFormat(spec.format);
      document.setTargetPath(spec.targetPath);
      break;
    case 'netfs':
      document.setSourceHost(spec.server);
      document.setSourceDir(spec.exportPath);
      document.setSourceFormat(spec.format);
      document.setTargetPath(spec.targetPath);
      break;
    case 'logical':
      document.setSourceDevices(spec.devices);
      document.setSourceName(spec.volumeGroup);
      document.setSourceFormat('lvm2');
      document.setTargetPath(`/dev/${spec.volumeGroup}`);
      break;
    case 'iscsi':
      document.setSourceHost(spec.portal, spec.port);
      document.setSourceDevices([spec.iqn]);
      document.setTargetPath(ISCSI_TARGET_PATH);
      break;
  }
  return document;
}

/** Types whose volumes are plain files in the target folder (uploads and conversions go there). */
export function isFileBasedPool(type: string): boolean {
  return type === 'dir' || type === 'fs' || type === 'netfs';
}

/** The block devices a spec names (each must be a block device on the host). */
export function specDevices(spec: PoolSpec): string[] {
  if (spec.type === 'fs') return [spec.device];
  if (spec.type === 'logical') return spec.devices;
  return [];
}

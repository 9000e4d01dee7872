/**
 * New domain definitions from a typed draft, written through the same document and typed
 * changes an edit uses, so a new domain and an edited one are laid out alike.
 */
import type { DeviceSpec } from '../xml/domainDevices.js';
import { DOMAIN, DomainDocument } from '../xml/domainDocument.js';

export interface DomainDraft {
  name: string;
  /** libvirt domain type: kvm, qemu, or test for the built-in test driver. */
  type: string;
  memoryKiB: number;
  vcpus: number;
  arch: string;
  osType?: string;
  /** Machine type (q35, pc-q35-7.2); libvirt picks its default when absent. */
  machine?: string;
  uuid?: string;
  title?: string;
  description?: string;
  /** libosinfo OS id, e.g. http://debian.org/debian/12, as virt-install records it. */
  osVariant?: string;
  devices?: DeviceSpec[];
}

export function createDomainDocument(draft: DomainDraft): DomainDocument {
  const document = DomainDocument.create(draft.type);
  document.setName(draft.name);
  if (draft.uuid !== undefined) document.set(DOMAIN.uuid, draft.uuid);
  document.setTitle(draft.title);
  document.setDescription(draft.description);
  if (draft.osVariant !== undefined) document.set(DOMAIN.osVariant, draft.osVariant);
  document.setMemory(draft.memoryKiB);
  document.setCurrentMemory(draft.memoryKiB);
  document.setVcpus({ max: draft.vcpus });
  document.set(DOMAIN.osType, draft.osType ?? 'hvm');
  document.set(DOMAIN.osArch, draft.arch);
  if (draft.machine !== undefined) document.set(DOMAIN.osMachine, draft.machine);
  for (const device of draft.devices ?? []) document.addDevice(device);
  return document;
}

export function buildDomainXml(draft: DomainDraft): string {
  return createDomainDocument(draft).toXml();
}

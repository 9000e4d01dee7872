/**
 * New domain definitions from a typed draft, written through the same document and typed
 * changes an edit uses, so a new domain and an edited one are laid out alike.
 */
import type { DeviceSpec } from '../xml/domainDevices.js';
import { firstChildElement } from '../xml/childElements.js';
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
  /** `<os>` boot settings: direct kernel boot, a container's init, boot devices in order. */
  boot?: DomainBootDraft;
  /** What libvirt does when the guest reboots; `destroy` for an install phase. */
  onReboot?: 'restart' | 'destroy';
  cpuMode?: 'host-passthrough' | 'host-model' | 'maximum';
  /** `<features><acpi/><apic/></features>`, what x86 HVM guests want. */
  acpiApic?: boolean;
}

export interface DomainBootDraft {
  firmware?: 'efi';
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** A container's init program (LXC, `<os><type>exe</type>`). */
  init?: string;
  /** `<bootloader>` for Xen PV guests that boot their own kernel (pygrub). */
  bootloader?: string;
  /** `<os><boot dev=…/>` in order; never mixed with per-device boot order (libvirt refuses). */
  devices?: ('hd' | 'cdrom' | 'network')[];
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
  writeBoot(document, draft.boot);
  if (draft.acpiApic === true) {
    document.set(DOMAIN.acpi, true);
    document.set(DOMAIN.apic, true);
  }
  if (draft.cpuMode !== undefined) document.set(DOMAIN.cpuMode, draft.cpuMode);
  if (draft.onReboot !== undefined) document.set(DOMAIN.onReboot, draft.onReboot);
  for (const device of draft.devices ?? []) document.addDevice(device);
  return document;
}

function writeBoot(document: DomainDocument, boot: DomainBootDraft | undefined): void {
  if (boot === undefined) return;
  if (boot.firmware !== undefined) document.set(DOMAIN.firmware, boot.firmware);
  if (boot.bootloader !== undefined) document.set(DOMAIN.bootloader, boot.bootloader);
  if (boot.init !== undefined) document.set(DOMAIN.osInit, boot.init);
  if (boot.kernel !== undefined) document.set(DOMAIN.osKernel, boot.kernel);
  if (boot.initrd !== undefined) document.set(DOMAIN.osInitrd, boot.initrd);
  if (boot.cmdline !== undefined) document.set(DOMAIN.osCmdline, boot.cmdline);
  const os = firstChildElement(document.root, 'os');
  if (!os) return;
  for (const dev of boot.devices ?? []) {
    const element = document.xml.insert(os, document.xml.createElement('boot'));
    element.setAttribute('dev', dev);
  }
}

export function buildDomainXml(draft: DomainDraft): string {
  return createDomainDocument(draft).toXml();
}

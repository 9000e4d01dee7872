/**
 * A domain's XML as a document. Read the persistent definition (`dumpxml --inactive`), make
 * typed changes, each of which changes exactly one thing, and define the result: what the
 * app does not know (new libvirt elements, other tools' metadata, comments) stays as it was.
 */
import type { Element } from '@xmldom/xmldom';
import { childElements, firstChildElement } from './childElements.js';
import { DOMAIN_CHILD_ORDER } from './domainChildOrder.js';
import {
  DeviceNotFoundError,
  describeKey,
  findDevice,
  writeDeviceSpec,
  writeDiskSource,
  writeInterfaceSource,
  type DeviceKey,
  type DeviceSpec,
  type DiskSource,
  type InterfaceSource,
} from './domainDevices.js';
import { LibvirtDocument, parseKind } from './libvirtDocument.js';
import { XmlDocument } from './xmlDocument.js';
import { intProperty, presenceProperty, sizeProperty, stringProperty, yesNoProperty } from './xmlProperty.js';

export const LIBOSINFO_NAMESPACE = 'http://libosinfo.org/xmlns/libvirt/domain/1.0';

/** Properties of the domain element itself; sizes are in bytes. */
export const DOMAIN = {
  type: stringProperty('./@type'),
  name: stringProperty('./name'),
  uuid: stringProperty('./uuid'),
  title: stringProperty('./title'),
  description: stringProperty('./description'),
  /** The libosinfo OS id virt-install and virt-manager record, e.g. http://debian.org/debian/12. */
  osVariant: stringProperty('./metadata/libosinfo:libosinfo/libosinfo:os/@id', { libosinfo: LIBOSINFO_NAMESPACE }),
  memory: sizeProperty('./memory', 'KiB', 'KiB'),
  currentMemory: sizeProperty('./currentMemory', 'KiB', 'KiB'),
  vcpu: intProperty('./vcpu'),
  vcpuCurrent: intProperty('./vcpu/@current'),
  vcpuPlacement: stringProperty('./vcpu/@placement'),
  osType: stringProperty('./os/type'),
  osArch: stringProperty('./os/type/@arch'),
  osMachine: stringProperty('./os/type/@machine'),
  firmware: stringProperty('./os/@firmware'),
  osKernel: stringProperty('./os/kernel'),
  osInitrd: stringProperty('./os/initrd'),
  osCmdline: stringProperty('./os/cmdline'),
  osInit: stringProperty('./os/init'),
  bootloader: stringProperty('./bootloader'),
  bootMenu: yesNoProperty('./os/bootmenu/@enable'),
  acpi: presenceProperty('./features/acpi'),
  apic: presenceProperty('./features/apic'),
  cpuMode: stringProperty('./cpu/@mode'),
  clockOffset: stringProperty('./clock/@offset'),
  onPoweroff: stringProperty('./on_poweroff'),
  onReboot: stringProperty('./on_reboot'),
  onCrash: stringProperty('./on_crash'),
  emulator: stringProperty('./devices/emulator'),
} as const;

export class DomainDocument extends LibvirtDocument {
  /** A domain element of `xml`: its root, or the domain inside a snapshot. */
  constructor(xml: XmlDocument, root: Element = xml.root) {
    super(xml, root);
    if (root.localName !== 'domain') throw new Error('not a domain XML document');
  }

  static parse(xml: string): DomainDocument {
    return new DomainDocument(parseKind(xml, 'domain', 'domain', DOMAIN_CHILD_ORDER));
  }

  /** An empty `<domain type=…>` to build a new definition on. */
  static create(type: string): DomainDocument {
    const document = new DomainDocument(XmlDocument.create('domain', { order: DOMAIN_CHILD_ORDER }));
    document.set(DOMAIN.type, type);
    return document;
  }

  /** A short title shown next to the name; undefined removes it. */
  setTitle(title: string | undefined): void {
    this.setOrClear(DOMAIN.title, title);
  }

  setDescription(description: string | undefined): void {
    this.setOrClear(DOMAIN.description, description);
  }

  /** The memory the guest boots with (`<memory>`), in KiB. */
  setMemory(kib: number): void {
    this.set(DOMAIN.memory, kib * 1024);
  }

  /** The balloon's target (`<currentMemory>`), in KiB; undefined means all of `<memory>`. */
  setCurrentMemory(kib: number | undefined): void {
    this.setOrClear(DOMAIN.currentMemory, kib === undefined ? undefined : kib * 1024);
  }

  /** vCPUs: `max` the guest may have, `current` it starts with (all of them when left out). */
  setVcpus(vcpus: { max: number; current?: number }): void {
    this.set(DOMAIN.vcpu, vcpus.max);
    this.setOrClear(DOMAIN.vcpuCurrent, vcpus.current === vcpus.max ? undefined : vcpus.current);
  }

  /** The `<devices>` element, if the definition has one. */
  devicesElement(): Element | undefined {
    return firstChildElement(this.root, 'devices');
  }

  /** Device elements in document order, all or those of one kind (`disk`, `interface`, …). */
  devices(kind?: string): Element[] {
    return childElements(this.devicesElement(), kind);
  }

  findDevice(key: DeviceKey): Element | undefined {
    return findDevice(this.devicesElement(), key);
  }

  /**
   * Adds a device after the others of its kind: from a typed spec, or from an XML fragment
   * (what an "add hardware as XML" editor gives), parsed into this document.
   */
  addDevice(device: DeviceSpec | string): Element {
    const devices = this.devicesElement() ?? this.xml.insert(this.root, this.xml.createElement('devices'));
    if (typeof device === 'string') return this.xml.insert(devices, this.xml.parseFragment(device, devices));
    const element = this.xml.insert(devices, this.xml.createElement(device.kind));
    writeDeviceSpec(this.xml, element, device);
    return element;
  }

  /** Removes the device the key names; false when there is none. */
  removeDevice(key: DeviceKey): boolean {
    const device = this.findDevice(key);
    if (!device) return false;
    this.xml.remove(device);
    return true;
  }

  /** Points the disk on `target` (vda, sda) at a file, block device or pool volume; undefined ejects. */
  setDiskSource(target: string, source: DiskSource | undefined): void {
    writeDiskSource(this.xml, this.requireDevice({ kind: 'disk', target }), source);
  }

  /** Plugs the interface with `mac` into a network, bridge or host device. */
  setInterfaceSource(mac: string, source: InterfaceSource): void {
    writeInterfaceSource(this.xml, this.requireDevice({ kind: 'interface', mac }), source);
  }

  private requireDevice(key: DeviceKey): Element {
    const device = this.findDevice(key);
    if (!device) throw new DeviceNotFoundError(`the domain has no ${describeKey(key)}`);
    return device;
  }
}

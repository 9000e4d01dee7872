/** A VM's details (its overview): what its definition and libvirt say about it, and its addresses. */
import { z } from 'zod';

const VmRef = z.object({ hostId: z.string().min(1), name: z.string().min(1) }).strict();

export const VmDisk = z.object({
  /** Guest device name: vda, sda, hdc. */
  target: z.string(),
  bus: z.string().optional(),
  /** disk, cdrom, floppy, lun. */
  device: z.string(),
  /** Where the data is: file, block, volume, network, … */
  sourceType: z.string().optional(),
  /** The file or device path; absent for an empty drive, a pool volume or a network disk. */
  path: z.string().optional(),
  pool: z.string().optional(),
  volume: z.string().optional(),
  /** Network disks: protocol and name (`rbd`, `pool/image`). */
  networkProtocol: z.string().optional(),
  networkName: z.string().optional(),
  /** The image format (driver type): qcow2, raw. */
  format: z.string().optional(),
  readonly: z.boolean(),
  shareable: z.boolean(),
  /** From `virsh domblkinfo`, bytes; absent when libvirt could not tell (an empty drive). */
  capacityBytes: z.number().optional(),
  allocationBytes: z.number().optional(),
});
export type VmDisk = z.infer<typeof VmDisk>;

export const VmNic = z.object({
  mac: z.string(),
  /** network, bridge, direct, user, … */
  type: z.string(),
  model: z.string().optional(),
  /** The virtual network, bridge or host device it is plugged into. */
  source: z.string().optional(),
  /** libvirt's default is up when the definition says nothing. */
  linkState: z.enum(['up', 'down']),
  /** The host-side device of a running VM (vnet0). */
  hostDevice: z.string().optional(),
});
export type VmNic = z.infer<typeof VmNic>;

export const VmGraphics = z.object({
  type: z.string(),
  listen: z.string().optional(),
  /** The port of a running VM; absent (or -1 in libvirt) while it is chosen automatically. */
  port: z.number().optional(),
  autoport: z.boolean(),
});
export type VmGraphics = z.infer<typeof VmGraphics>;

export const VmOs = z.object({
  /** The libosinfo id virt-install records, e.g. http://debian.org/debian/12. */
  id: z.string(),
  /** A readable name derived from the id ("Debian 12"). */
  name: z.string(),
});
export type VmOs = z.infer<typeof VmOs>;

export const VmUptime = z.object({
  /** When the VM's QEMU process started, ms since epoch on main's clock (from its elapsed time). */
  startedAt: z.number(),
  /** Which process was measured: the pid libvirt recorded, or the one found by the VM's UUID. */
  via: z.enum(['pidfile', 'uuid']),
  pid: z.number().int(),
});
export type VmUptime = z.infer<typeof VmUptime>;

export const VmDetailsInfo = z.object({
  hostId: z.string(),
  name: z.string(),
  uuid: z.string(),
  /** Hypervisor type: kvm, qemu, xen, lxc, test. */
  domainType: z.string().optional(),
  title: z.string().optional(),
  os: VmOs.optional(),
  osType: z.string().optional(),
  arch: z.string().optional(),
  machine: z.string().optional(),
  vcpus: z.object({ current: z.number().int(), max: z.number().int() }),
  memory: z.object({ currentKiB: z.number(), maxKiB: z.number() }),
  disks: z.array(VmDisk),
  nics: z.array(VmNic),
  graphics: z.array(VmGraphics),
  /** The VM has a QEMU process (running or paused): libvirt gave the live XML an id. */
  active: z.boolean(),
  /** Running VMs whose process could be found; absent otherwise (see uptimeUnavailable). */
  uptime: VmUptime.optional(),
  /**
   * Why a running VM's uptime is not known: its hypervisor runs no QEMU process VirtDeck can
   * measure (test, xen, lxc), or no such process was found on the host.
   */
  uptimeUnavailable: z.enum(['no-process-driver', 'process-not-found']).optional(),
  /** ms since epoch when main read it. */
  readAt: z.number(),
});
export type VmDetailsInfo = z.infer<typeof VmDetailsInfo>;

export const AddressSource = z.enum(['lease', 'agent', 'arp']);
export type AddressSource = z.infer<typeof AddressSource>;

export const VmAddress = z.object({
  source: AddressSource,
  /** The interface name as the source names it: vnet0 (lease, arp) or the guest's eth0 (agent). */
  interfaceName: z.string().optional(),
  mac: z.string().optional(),
  protocol: z.enum(['ipv4', 'ipv6']),
  address: z.string(),
  prefix: z.number().int().optional(),
});
export type VmAddress = z.infer<typeof VmAddress>;

export const AddressSourceResult = z.object({
  source: AddressSource,
  /**
   * ok: asked and answered (maybe with no address); unavailable: this source cannot answer for
   * this VM now — no guest agent, not running — which is normal and shown quietly; failed: an
   * unexpected error.
   */
  status: z.enum(['ok', 'unavailable', 'failed']),
  /** libvirt's message when not ok. */
  message: z.string().optional(),
});
export type AddressSourceResult = z.infer<typeof AddressSourceResult>;

export const VmAddresses = z.object({
  addresses: z.array(VmAddress),
  sources: z.array(AddressSourceResult),
  readAt: z.number(),
});
export type VmAddresses = z.infer<typeof VmAddresses>;

export const vmDetailsCalls = {
  /** The VM's definition as libvirt has it now (live for a running VM), with disk sizes and uptime. */
  'vm.details': { args: VmRef, result: VmDetailsInfo },
  /** Addresses from `virsh domifaddr`, asked of each source: DHCP lease, guest agent, ARP table. */
  'vm.addresses': { args: VmRef, result: VmAddresses },
} as const;

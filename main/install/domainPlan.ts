/**
 * A new VM as a typed plan, turned into the two definitions an install needs (as virt-install
 * does): the install definition (boots the installer, `on_reboot` destroy, so the installer's
 * reboot stops the guest) and the final definition (boots the disk, no kernel, the CD-ROM
 * kept but emptied). Sources that need no install phase (an imported disk, a container) give
 * the same definition twice. Built on the domain document layer (`createDomainDocument`).
 */
import { createDomainDocument, type DomainBootDraft, type DomainDraft } from '../libvirt/models/domainBuilder.js';
import type { DeviceSpec, DiskSource, InterfaceSource } from '../libvirt/xml/domainDevices.js';
import type { DomainDocument } from '../libvirt/xml/domainDocument.js';

export type PlanDomainType = 'kvm' | 'qemu' | 'xen' | 'lxc';

export type PlanBootSource =
  /** An ISO on the host, attached as a CD-ROM for the install. */
  | { kind: 'cdrom'; iso: DiskSource }
  /** Direct kernel boot from files on the host (a network-install tree's kernel and initrd). */
  | { kind: 'kernel'; kernel: string; initrd: string; cmdline?: string }
  /** PXE: network first, then the disk. */
  | { kind: 'network' }
  /** An existing (imported) disk: no install phase. */
  | { kind: 'disk' }
  /** An LXC container: its init program and host folders mounted into it. */
  | { kind: 'lxc'; init: string; mounts: { source: string; target: string; readonly?: boolean }[] }
  /** A Xen paravirtualised guest installed from a kernel and initrd; it boots through pygrub afterwards. */
  | { kind: 'xenpv'; kernel: string; initrd: string; cmdline?: string };

export interface PlanDisk {
  source: DiskSource;
  format: 'qcow2' | 'raw';
  bus: 'virtio' | 'sata' | 'scsi' | 'ide' | 'xen';
}

export interface PlanNic {
  source: InterfaceSource;
  model?: string;
  mac?: string;
}

export interface DomainPlan {
  name: string;
  domainType: PlanDomainType;
  arch: string;
  machine?: string;
  memoryMiB: number;
  vcpus: number;
  cpuMode?: 'host-passthrough' | 'host-model' | 'maximum';
  firmware: 'bios' | 'uefi';
  /** libosinfo id (http://debian.org/debian/12). */
  osId?: string;
  disks: PlanDisk[];
  nics: PlanNic[];
  boot: PlanBootSource;
}

export interface DomainDefinitions {
  /** The XML to start the install with; equal to `final` when there is no install phase. */
  install: string;
  final: string;
  /** Whether the install phase ends with the guest stopping, after which `final` is started. */
  hasInstallPhase: boolean;
}

export const PYGRUB = '/usr/lib/xen/bin/pygrub';

export function hasInstallPhase(boot: PlanBootSource): boolean {
  return boot.kind === 'cdrom' || boot.kind === 'kernel' || boot.kind === 'network' || boot.kind === 'xenpv';
}

export function buildDomainDefinitions(plan: DomainPlan): DomainDefinitions {
  const documents = buildDomainDocuments(plan);
  return { install: documents.install.toXml(), final: documents.final.toXml(), hasInstallPhase: hasInstallPhase(plan.boot) };
}

type Phase = 'install' | 'final';

function buildPhase(plan: DomainPlan, phase: Phase): DomainDocument {
  const container = plan.domainType === 'lxc';
  const xenPv = plan.domainType === 'xen' && plan.boot.kind === 'xenpv';
  const draft: DomainDraft = {
    name: plan.name,
    type: plan.domainType,
    memoryKiB: plan.memoryMiB * 1024,
    vcpus: plan.vcpus,
    arch: plan.arch,
    osType: container ? 'exe' : xenPv ? 'xen' : 'hvm',
    ...(plan.machine !== undefined && !container && !xenPv ? { machine: plan.machine } : {}),
    ...(plan.osId !== undefined ? { osVariant: plan.osId } : {}),
    ...(plan.cpuMode !== undefined && !container ? { cpuMode: plan.cpuMode } : {}),
    acpiApic: !container && !xenPv && isX86(plan.arch),
    boot: bootDraft(plan, phase),
    devices: devices(plan, phase),
    ...(phase === 'install' ? { onReboot: 'destroy' as const } : {}),
  };
  return createDomainDocument(draft);
}

function isX86(arch: string): boolean {
  return arch === 'x86_64' || arch === 'i686';
}

function bootDraft(plan: DomainPlan, phase: Phase): DomainBootDraft {
  const boot = plan.boot;
  if (boot.kind === 'lxc') return { init: boot.init };
  if (boot.kind === 'xenpv') {
    if (phase === 'install') return { kernel: boot.kernel, initrd: boot.initrd, ...cmdline(boot.cmdline) };
    return { bootloader: PYGRUB };
  }
  const firmware: DomainBootDraft = plan.firmware === 'uefi' ? { firmware: 'efi' } : {};
  if (phase === 'final') return { ...firmware, devices: ['hd'] };
  if (boot.kind === 'kernel') return { ...firmware, kernel: boot.kernel, initrd: boot.initrd, ...cmdline(boot.cmdline) };
  if (boot.kind === 'cdrom') return { ...firmware, devices: ['cdrom', 'hd'] };
  if (boot.kind === 'network') return { ...firmware, devices: ['network', 'hd'] };
  return { ...firmware, devices: ['hd'] };
}

function cmdline(value: string | undefined): { cmdline?: string } {
  return value !== undefined && value.trim() !== '' ? { cmdline: value.trim() } : {};
}

/** Target names per bus: vda…, sda…, hda…, xvda…; a CD-ROM shares the SATA (or IDE) names. */
function targetPrefix(bus: PlanDisk['bus']): string {
  if (bus === 'virtio') return 'vd';
  if (bus === 'ide') return 'hd';
  if (bus === 'xen') return 'xvd';
  return 'sd';
}

function targetName(prefix: string, index: number): string {
  return `${prefix}${String.fromCharCode(97 + index)}`;
}

function devices(plan: DomainPlan, phase: Phase): DeviceSpec[] {
  const list: DeviceSpec[] = [];
  const used = new Map<string, number>();
  const next = (prefix: string): string => {
    const index = used.get(prefix) ?? 0;
    used.set(prefix, index + 1);
    return targetName(prefix, index);
  };
  if (plan.domainType !== 'lxc') {
    for (const disk of plan.disks) {
      list.push({
        kind: 'disk',
        device: 'disk',
        source: disk.source,
        target: { dev: next(targetPrefix(disk.bus)), bus: disk.bus },
        driver: plan.domainType === 'xen' ? { format: disk.format } : { name: 'qemu', format: disk.format },
      });
    }
    if (plan.boot.kind === 'cdrom') {
      // The final definition keeps the drive, emptied, so the installed system finds no installer.
      const bus = plan.domainType === 'xen' ? 'ide' : plan.machine?.includes('i440fx') === true ? 'ide' : 'sata';
      list.push({
        kind: 'disk',
        device: 'cdrom',
        ...(phase === 'install' ? { source: plan.boot.iso } : {}),
        target: { dev: next(bus === 'ide' ? 'hd' : 'sd'), bus },
        ...(plan.domainType === 'xen' ? {} : { driver: { name: 'qemu', format: 'raw' } }),
        readonly: true,
      });
    }
  }
  for (const nic of plan.nics) {
    list.push({
      kind: 'interface',
      source: nic.source,
      ...(nic.mac !== undefined ? { mac: nic.mac } : {}),
      ...(nic.model !== undefined && plan.domainType !== 'lxc' ? { model: nic.model } : {}),
    });
  }
  list.push({ kind: 'console', type: 'pty' });
  if (plan.domainType === 'kvm' || plan.domainType === 'qemu') {
    list.push({ kind: 'serial', type: 'pty' });
    list.push({ kind: 'graphics', type: 'vnc', listen: '127.0.0.1' });
    list.push({ kind: 'video', model: 'virtio' });
    list.push({ kind: 'rng', backend: '/dev/urandom' });
  } else if (plan.domainType === 'xen' && plan.boot.kind !== 'xenpv') {
    list.push({ kind: 'graphics', type: 'vnc', listen: '127.0.0.1' });
  }
  return list;
}

/** Both phases as documents; an LXC container's mounts are `<filesystem type='mount'>` devices. */
export function buildDomainDocuments(plan: DomainPlan): { install: DomainDocument; final: DomainDocument } {
  const final = withMounts(buildPhase(plan, 'final'), plan);
  const install = hasInstallPhase(plan.boot) ? withMounts(buildPhase(plan, 'install'), plan) : final;
  return { install, final };
}

function withMounts(document: DomainDocument, plan: DomainPlan): DomainDocument {
  if (plan.boot.kind !== 'lxc') return document;
  for (const mount of plan.boot.mounts) {
    const xml = document.xml;
    const devicesElement = document.devicesElement() ?? xml.insert(document.root, xml.createElement('devices'));
    const fs = xml.insert(devicesElement, xml.createElement('filesystem'));
    fs.setAttribute('type', 'mount');
    xml.insert(fs, xml.createElement('source')).setAttribute('dir', mount.source);
    xml.insert(fs, xml.createElement('target')).setAttribute('dir', mount.target);
    if (mount.readonly === true) xml.insert(fs, xml.createElement('readonly'));
  }
  return document;
}

/**
 * The advisor's rules: pure functions from what main holds (each host's VMs with their
 * definitions, and the host's facts) to findings. No I/O here; services/advisor feeds them.
 * A finding's id is `<rule>:<object>` so that it stays the same across recomputations (and a
 * silenced one stays silenced) as long as the same object has the same problem.
 */
import {
  CLOCK_THRESHOLD_MS,
  type AdvisorCounts,
  type AdvisorFinding,
  type AdvisorHostFacts,
  type AdvisorRemedy,
  type AdvisorRule,
  type AdvisorSettings,
  type AdvisorSeverity,
  type AdvisorVmRef,
  type VmState,
} from '../../preload/contract.js';
import type { DomainDefinition } from '../libvirt/models/domain.js';
import { linuxWithVirtio } from './osVirtio.js';

export interface AdvisorVmInput {
  name: string;
  uuid: string;
  state: VmState;
  autostart: boolean;
  /** vCPUs as the inventory has them (the running guest's count for running ones). */
  vcpus: number;
  /** The persistent definition as main read it; absent until its XML has been read. */
  definition?: DomainDefinition;
  hasSnapshots: boolean;
}

export interface AdvisorHostInput {
  hostId: string;
  label: string;
  facts?: AdvisorHostFacts;
  vms: readonly AdvisorVmInput[];
}

/** States in which a guest holds its vCPUs and memory on the host. */
const ACTIVE: ReadonlySet<VmState> = new Set(['running', 'blocked', 'paused', 'shutting-down', 'pm-suspended']);
export const isActive = (state: VmState): boolean => ACTIVE.has(state);

const EMULATED_NICS: ReadonlySet<string> = new Set(['rtl8139', 'e1000', 'e1000e']);
const SLOW_BUSES: ReadonlySet<string> = new Set(['ide', 'sata']);
const RISKY_CACHE: ReadonlySet<string> = new Set(['unsafe', 'writeback']);

const SEVERITY_ORDER: Record<AdvisorSeverity, number> = { critical: 0, warning: 1, info: 2 };

function ref(host: AdvisorHostInput, vm: AdvisorVmInput): AdvisorVmRef {
  return { hostId: host.hostId, name: vm.name, uuid: vm.uuid };
}

function finding(rule: AdvisorRule, object: string, severity: AdvisorSeverity, hostIds: string[], vms: AdvisorVmRef[], params: Record<string, string>, remedy?: AdvisorRemedy): AdvisorFinding {
  const result: AdvisorFinding = { id: `${rule}:${object}`, rule, severity, hostIds, vms, params, silenced: false };
  if (remedy) result.remedy = remedy;
  return result;
}

const ratioText = (ratio: number): string => ratio.toFixed(2);
const gibText = (kib: number): string => (kib / 1024 / 1024).toFixed(1);

/**
 * The rules about one VM's own definition (disks, NICs, accelerator). Also what a remedy
 * re-checks against a fresh read of the VM before it runs.
 */
export function vmFindings(host: AdvisorHostInput, vm: AdvisorVmInput): AdvisorFinding[] {
  const definition = vm.definition;
  if (!definition) return [];
  // Most VMs have nothing to report: nothing is allocated for them until one rule matches.
  const kvmUsable = host.facts?.kvmUsable;
  const typeProblem = (definition.type === 'qemu' && kvmUsable === true) || (definition.type === 'kvm' && kvmUsable === false);
  let suspect = typeProblem;
  for (const disk of definition.disks) if (disk.device === 'disk' && ((vm.hasSnapshots && disk.format === 'raw') || RISKY_CACHE.has(disk.cache) || SLOW_BUSES.has(disk.bus))) suspect = true;
  for (const nic of definition.nics) if (EMULATED_NICS.has(nic.model)) suspect = true;
  if (!suspect) return [];

  const findings: AdvisorFinding[] = [];
  const vmRef = ref(host, vm);
  const base = { host: host.label, vm: vm.name };
  const object = `${host.hostId}/${vm.uuid}`;
  const afterRestart = isActive(vm.state);
  const virtio = linuxWithVirtio(definition.osId);
  for (const disk of definition.disks) {
    if (disk.device !== 'disk') continue;
    const raw = vm.hasSnapshots && disk.format === 'raw';
    const cache = RISKY_CACHE.has(disk.cache);
    const bus = virtio && SLOW_BUSES.has(disk.bus);
    if (!raw && !cache && !bus) continue;
    const params = { ...base, target: disk.target, path: disk.path ?? disk.volume ?? '' };
    if (raw) findings.push(finding('raw-disk-snapshots', `${object}/${disk.target}`, 'warning', [host.hostId], [vmRef], params, { kind: 'convert-qcow2', vm: vmRef, afterRestart }));
    if (cache) {
      findings.push(
        finding('disk-cache', `${object}/${disk.target}`, disk.cache === 'unsafe' ? 'critical' : 'warning', [host.hostId], [vmRef], { ...params, cache: disk.cache }, { kind: 'disk-cache-none', vm: vmRef, afterRestart }),
      );
    }
    if (bus) findings.push(finding('disk-bus', `${object}/${disk.target}`, 'warning', [host.hostId], [vmRef], { ...params, bus: disk.bus, os: definition.osId ?? '' }, { kind: 'disk-bus-virtio', vm: vmRef, afterRestart: true }));
  }
  if (virtio) {
    for (const nic of definition.nics) {
      if (!nic.mac || !EMULATED_NICS.has(nic.model)) continue;
      findings.push(finding('nic-model', `${object}/${nic.mac}`, 'warning', [host.hostId], [vmRef], { ...base, mac: nic.mac, model: nic.model, os: definition.osId ?? '' }, { kind: 'nic-virtio', vm: vmRef, afterRestart }));
    }
  }
  if (typeProblem && definition.type === 'qemu') {
    findings.push(finding('domain-type-qemu', object, 'warning', [host.hostId], [vmRef], base, { kind: 'domain-type-kvm', vm: vmRef, afterRestart }));
  } else if (typeProblem) {
    findings.push(finding('domain-type-kvm', object, 'critical', [host.hostId], [vmRef], base, { kind: 'domain-type-qemu', vm: vmRef, afterRestart }));
  }
  return findings;
}

/** vCPUs and memory of a host's guests against what it has. */
export function hostFindings(host: AdvisorHostInput, settings: AdvisorSettings): AdvisorFinding[] {
  const facts = host.facts;
  const findings: AdvisorFinding[] = [];
  const threads = facts?.threads ?? 0;
  if (threads > 0) {
    const running = host.vms.filter((vm) => isActive(vm.state));
    const autostart = host.vms.filter((vm) => vm.autostart);
    const check = (rule: AdvisorRule, vms: readonly AdvisorVmInput[], vcpusOf: (vm: AdvisorVmInput) => number) => {
      const vcpus = vms.reduce((sum, vm) => sum + vcpusOf(vm), 0);
      const ratio = vcpus / threads;
      if (ratio <= 1) return;
      const severity = ratio > settings.cpuRatio ? 'critical' : 'warning';
      const params = { host: host.label, vcpus: String(vcpus), threads: String(threads), ratio: ratioText(ratio), limit: ratioText(settings.cpuRatio), guests: String(vms.length) };
      findings.push(finding(rule, host.hostId, severity, [host.hostId], vms.map((vm) => ref(host, vm)), params));
    };
    check('cpu-overcommit', running, (vm) => vm.vcpus);
    // What starts when the host boots: the definitions' vCPUs.
    check('cpu-overcommit-autostart', autostart, (vm) => vm.definition?.vcpus ?? vm.vcpus);
  }
  const hostMemory = facts?.memoryKiB ?? 0;
  if (hostMemory > 0) {
    const running = host.vms.filter((vm) => isActive(vm.state));
    const guestMemory = running.reduce((sum, vm) => sum + (vm.definition?.maxMemoryKiB ?? 0), 0);
    const ratio = guestMemory / hostMemory;
    if (ratio > 1) {
      const ksm = facts?.ksm;
      const params = {
        host: host.label,
        guestGiB: gibText(guestMemory),
        hostGiB: gibText(hostMemory),
        ratio: ratioText(ratio),
        ksm: ksm ? (ksm.running ? 'on' : 'off') : 'unknown',
        ksmSharedGiB: gibText(((ksm?.pagesSharing ?? 0) * 4096) / 1024),
        guests: String(running.length),
      };
      // Without KSM nothing gives memory back when every guest uses what it may.
      const severity = ratio > 1.5 || ksm?.running !== true ? 'critical' : 'warning';
      findings.push(finding('memory-overcommit', host.hostId, severity, [host.hostId], running.map((vm) => ref(host, vm)), params));
    }
  }
  return findings;
}

/**
 * The same MAC on more than one interface anywhere in the fleet. The remedy renumbers one of
 * them: a guest that is shut off if there is one (it takes the new MAC at once), else the last.
 */
export function macCollisions(hosts: readonly AdvisorHostInput[]): AdvisorFinding[] {
  const byMac = new Map<string, { host: AdvisorHostInput; vm: AdvisorVmInput }[]>();
  for (const host of hosts) {
    for (const vm of host.vms) {
      for (const mac of vm.definition?.macs ?? []) {
        const users = byMac.get(mac);
        if (users) users.push({ host, vm });
        else byMac.set(mac, [{ host, vm }]);
      }
    }
  }
  const findings: AdvisorFinding[] = [];
  for (const [mac, users] of byMac) {
    if (users.length < 2) continue;
    const sorted = [...users].sort((a, b) => a.host.label.localeCompare(b.host.label) || a.vm.name.localeCompare(b.vm.name));
    const target = [...sorted].reverse().find((user) => !isActive(user.vm.state)) ?? sorted[sorted.length - 1]!;
    const vms = sorted.map((user) => ref(user.host, user.vm));
    const hostIds = [...new Set(sorted.map((user) => user.host.hostId))];
    const params = {
      mac,
      count: String(sorted.length),
      vms: sorted.map((user) => `${user.vm.name} (${user.host.label})`).join(', '),
      vm: target.vm.name,
      host: target.host.label,
    };
    findings.push(finding('mac-collision', mac, 'critical', hostIds, vms, params, { kind: 'new-mac', vm: ref(target.host, target.vm), afterRestart: isActive(target.vm.state) }));
  }
  return findings;
}

/**
 * Each host's clock against the workstation's, and the widest gap between two hosts. A
 * measurement is only as good as its round trip: an offset counts only beyond its uncertainty
 * (half the round trip), so a host that merely answered slowly is not called wrong.
 */
export function clockFindings(hosts: readonly AdvisorHostInput[], thresholdMs = CLOCK_THRESHOLD_MS): AdvisorFinding[] {
  const findings: AdvisorFinding[] = [];
  const measured = hosts.filter((host) => host.facts?.clockOffsetMs !== null && host.facts?.clockOffsetMs !== undefined);
  const offset = (host: AdvisorHostInput) => host.facts!.clockOffsetMs!;
  const uncertainty = (host: AdvisorHostInput) => host.facts!.clockUncertaintyMs ?? 0;
  for (const host of measured) {
    if (Math.abs(offset(host)) - uncertainty(host) > thresholdMs) findings.push(finding('clock-offset', host.hostId, 'warning', [host.hostId], [], { host: host.label, seconds: (offset(host) / 1000).toFixed(1) }));
  }
  // The pair furthest apart beyond both measurements' uncertainty.
  let worst: { low: AdvisorHostInput; high: AdvisorHostInput; spread: number; certain: number } | undefined;
  for (const low of measured) {
    for (const high of measured) {
      const spread = offset(high) - offset(low);
      const certain = spread - uncertainty(low) - uncertainty(high);
      if (spread > 0 && (!worst || certain > worst.certain)) worst = { low, high, spread, certain };
    }
  }
  if (worst && worst.certain > thresholdMs) findings.push(finding('clock-spread', 'fleet', 'warning', [worst.low.hostId, worst.high.hostId], [], { hostA: worst.low.label, hostB: worst.high.label, seconds: (worst.spread / 1000).toFixed(1) }));
  return findings;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every rule over the whole fleet, most severe first, with the user's silenced ones marked. */
export function computeFindings(hosts: readonly AdvisorHostInput[], settings: AdvisorSettings): AdvisorFinding[] {
  const findings: AdvisorFinding[] = [...macCollisions(hosts), ...clockFindings(hosts)];
  for (const host of hosts) {
    findings.push(...hostFindings(host, settings));
    for (const vm of host.vms) for (const item of vmFindings(host, vm)) findings.push(item);
  }
  const silenced = new Set(settings.silenced);
  for (const item of findings) item.silenced = silenced.has(item.id);
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compare(a.rule, b.rule) || compare(a.id, b.id));
}

/** Unsilenced findings per host (the tree's badges). */
export function countsByHost(findings: readonly AdvisorFinding[]): Record<string, AdvisorCounts> {
  const counts: Record<string, AdvisorCounts> = {};
  for (const item of findings) {
    if (item.silenced) continue;
    for (const hostId of item.hostIds) {
      const entry = (counts[hostId] ??= { info: 0, warning: 0, critical: 0 });
      entry[item.severity] += 1;
    }
  }
  return counts;
}

// Defining many small VMs on one lab host quickly. One SSH round trip lists what exists, one more
// ships all new domain XMLs and defines them with a single virsh reading `define` commands from
// stdin — per-VM SSH commands would cost ~0.4 s each.
import { run, type CommandResult } from './command.js';
import { labExec } from './control.js';
import { readLabHost, type LabHost } from './hosts.js';
import { labKeyPath, labKnownHostsPath, labSshConfigPath } from './paths.js';
import { labVmName } from './plan.js';
import { assertRoot } from './privileges.js';
import { writeTestDriverNode } from './testDriverHost.js';

export interface LabPopulateOptions {
  /** Lab host name, e.g. "lab1". */
  readonly host: string;
  /** Ensure VMs <host>-vm0001 … <host>-vmNNNN exist. */
  readonly vms: number;
  readonly log?: (line: string) => void;
}

export interface LabPopulateResult {
  readonly host: string;
  /** Names defined by this call. */
  readonly defined: string[];
  /** Names that already existed and were left alone. */
  readonly existing: string[];
  readonly elapsedMs: number;
}

export const MAX_POPULATE_VMS = 9999;

export { labVmName };

/**
 * A small diskless guest: 64–128 MiB, 1 vCPU, a serial console and VNC on the host's loopback, so
 * it can be started and looked at. One line of XML, because the host side splits the batch by line.
 */
export function labDomainXml(name: string, index: number, kvm: boolean): string {
  const memoryMiB = 64 + (index % 5) * 16;
  return [
    `<domain type='${kvm ? 'kvm' : 'qemu'}'>`,
    `<name>${name}</name>`,
    `<description>VirtDeck lab VM (lab:populate)</description>`,
    `<memory unit='MiB'>${memoryMiB}</memory>`,
    `<currentMemory unit='MiB'>${memoryMiB}</currentMemory>`,
    `<vcpu>1</vcpu>`,
    `<os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>`,
    `<features><acpi/></features>`,
    `<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>`,
    `<devices>`,
    `<serial type='pty'/><console type='pty'/>`,
    `<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>`,
    `<video><model type='vga'/></video>`,
    `<memballoon model='virtio'/>`,
    `</devices>`,
    `</domain>`,
  ].join('');
}

/** Runs on the host: splits stdin (one domain XML per line) into files and defines them all. */
const DEFINE_SCRIPT = [
  'set -eu',
  'dir=$(mktemp -d)',
  `trap 'rm -rf "$dir"' EXIT`,
  'split --lines=1 --suffix-length=6 --additional-suffix=.xml - "$dir/domain-"',
  // No -q: it would also suppress the "Domain 'x' defined from" lines that confirm each define.
  'for f in "$dir"/domain-*.xml; do printf \'define %s\\n\' "$f"; done | virsh -c qemu:///system',
].join('\n');

const LIST_COMMAND = 'virsh -q -c qemu:///system list --all --name';

/** How commands reach the host: its sshd for key hosts, nsenter (root) for the password variants. */
function hostShell(host: LabHost): (script: string, input?: string) => Promise<CommandResult> {
  if (host.auth === 'key') {
    return (script, input) =>
      run(
        'ssh',
        [
          '-F', labSshConfigPath(), // host aliases, and ProxyJump for `behind`
          '-i', labKeyPath(),
          '-o', 'IdentitiesOnly=yes',
          '-o', `UserKnownHostsFile=${labKnownHostsPath()}`,
          '-o', 'StrictHostKeyChecking=yes',
          '-o', 'BatchMode=yes',
          host.name,
          script,
        ],
        { input: input ?? '', timeoutMs: 120_000 },
      );
  }
  return (script, input) => labExec(host.name, ['sh', '-c', script], { input: input ?? '', timeoutMs: 120_000 });
}

export async function labPopulate(options: LabPopulateOptions): Promise<LabPopulateResult> {
  assertRoot('reads the lab key');
  const t0 = Date.now();
  if (!Number.isInteger(options.vms) || options.vms < 1 || options.vms > MAX_POPULATE_VMS) {
    throw new Error(`--vms must be an integer from 1 to ${MAX_POPULATE_VMS}, got ${options.vms}`);
  }
  const host = await readLabHost(options.host);
  if (host.role === 'test-driver') {
    await writeTestDriverNode(host.name, options.vms);
    const elapsedMs = Date.now() - t0;
    options.log?.(`lab: ${host.name}: node file with ${options.vms} test-driver VMs written (${(elapsedMs / 1000).toFixed(1)} s)`);
    const names = Array.from({ length: options.vms }, (_, i) => labVmName(host.name, i + 1));
    return { host: host.name, defined: names, existing: [], elapsedMs };
  }
  if (!host.libvirtRunning) throw new Error(`lab host ${host.name} has no libvirt running (by design); pick another host`);
  const shell = hostShell(host);

  const listed = await shell(LIST_COMMAND);
  if (listed.code !== 0) throw new Error(`listing VMs on ${host.name} failed: ${listed.stderr.trim()}`);
  const existingNames = new Set(listed.stdout.split('\n').map((l) => l.trim()).filter(Boolean));

  const wanted = Array.from({ length: options.vms }, (_, i) => ({ index: i + 1, name: labVmName(host.name, i + 1) }));
  const missing = wanted.filter((vm) => !existingNames.has(vm.name));
  const existing = wanted.filter((vm) => existingNames.has(vm.name)).map((vm) => vm.name);
  if (missing.length > 0) {
    const batch = missing.map((vm) => labDomainXml(vm.name, vm.index, host.kvm)).join('\n');
    const result = await shell(DEFINE_SCRIPT, `${batch}\n`);
    const defined = new Set([...result.stdout.matchAll(/Domain '([^']+)' defined from/g)].map((m) => m[1]));
    const failed = missing.filter((vm) => !defined.has(vm.name));
    if (result.code !== 0 || failed.length > 0) {
      throw new Error(
        `defining VMs on ${host.name}: ${failed.length} of ${missing.length} failed (exit ${result.code}): ${result.stderr.trim().slice(0, 2000)}`,
      );
    }
  }
  const elapsedMs = Date.now() - t0;
  options.log?.(
    `lab: ${host.name}: defined ${missing.length} VMs, ${existing.length} already existed (${(elapsedMs / 1000).toFixed(1)} s)`,
  );
  return { host: host.name, defined: missing.map((vm) => vm.name), existing, elapsedMs };
}

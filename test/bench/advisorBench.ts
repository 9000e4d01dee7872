/**
 * The fleet advisor at scale: H test-driver hosts × V VMs (the scale lab's node files, from
 * testDriverNodeFor, each VM given a disk, a NIC and a libosinfo id, some of them with problems
 * and some MACs shared across hosts), each a real HostConnection with its own virsh session on
 * libvirt's test driver. The hosts connect and read their inventories (every domain's XML, as
 * the app does); then the findings are computed from what main holds.
 *
 * Reported: main_cpu_ms — CPU time (user + system) of one computation of every rule over the
 * whole fleet (the median of --runs), and commands_per_vm — commands sent to the hosts during
 * those computations, per VM (the host facts read before them is per host: facts_commands_per_host).
 *
 * The hosts run on this computer, not in the lab's namespaces: what is measured is main's own
 * work on the inventories it holds, which is the same whichever link brought them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ADVISOR_SETTINGS, type HostSummary, type Settings } from '../../preload/contract.js';
import type { ProcessRunner } from '../../main/connection/hostProcess.js';
import { buildTestDriverNode } from '../../main/libvirt/testDriverNode.js';
import { AdvisorService } from '../../main/services/advisor/advisorService.js';
import { HostConnection } from '../../main/services/hosts/hostConnection.js';
import { openLocalLink } from '../../main/services/hosts/hostLink.js';
import { testDriverNodeFor } from '../lab/testDriverHost.js';

export interface AdvisorBenchOptions {
  hosts: number;
  vms: number;
  runs: number;
  log(line: Record<string, unknown>): void;
}

const mac = (host: number, vm: number) => `52:54:00:${(host & 0xff).toString(16).padStart(2, '0')}:${((vm >> 8) & 0xff).toString(16).padStart(2, '0')}:${(vm & 0xff).toString(16).padStart(2, '0')}`;

/** The lab's node for one host, its domains given the devices and metadata real guests have. */
function benchNode(host: number, vms: number): string {
  const node = testDriverNodeFor(`bench${host + 1}`, vms);
  // Every 100th VM shares a MAC with host 0's VM of the same number: collisions across hosts.
  const domains = node.domains.map((domain, index) => ({ ...domain, nics: [{ network: 'default', mac: index % 100 === 7 ? mac(0, index) : mac(host, index) }] }));
  // Fewer threads than the lab's default node, so the CPU rule has something to say.
  const xml = buildTestDriverNode({ ...node, cpus: { sockets: 1, cores: 4, threads: 2, mhz: 2400 }, domains });
  let index = 0;
  return xml
    .split('\n')
    .map((line) => {
      if (!line.startsWith("<domain type='test'>")) return line;
      const i = index++;
      const cache = i % 50 === 3 ? 'unsafe' : i % 50 === 4 ? 'writeback' : 'none';
      const bus = i % 60 === 5 ? 'sata' : 'virtio';
      const model = i % 40 === 6 ? 'rtl8139' : 'virtio';
      const disk = `<disk type='file' device='disk'><driver name='qemu' type='qcow2' cache='${cache}'/><source file='/var/lib/libvirt/images/vm${i}.qcow2'/><target dev='${bus === 'sata' ? 'sda' : 'vda'}' bus='${bus}'/></disk>`;
      const metadata = `<metadata><libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0"><libosinfo:os id="http://debian.org/debian/12"/></libosinfo:libosinfo></metadata>`;
      return line
        .replace('<memory ', `${metadata}<memory `)
        .replace('<devices>', `<devices>${disk}`)
        .replace(/<\/interface>/, `<model type='${model}'/></interface>`);
    })
    .join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runAdvisorBench(options: AdvisorBenchOptions): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vd-advisor-bench-'));
  let commands = 0;
  const counting = (runner: ProcessRunner): ProcessRunner => ({ spawn: (argv, spawnOptions) => ((commands += 1), runner.spawn(argv, spawnOptions)) });
  const connections: HostConnection[] = [];
  try {
    for (let h = 0; h < options.hosts; h += 1) {
      const file = join(dir, `bench${h + 1}.xml`);
      await writeFile(file, benchNode(h, options.vms));
      connections.push(
        new HostConnection({
          id: `bench${h + 1}`,
          label: `bench${h + 1}`,
          kind: 'demo',
          uri: `test://${file}`,
          openLink: async () => {
            const link = await openLocalLink();
            return { ...link, runner: { ...link.runner, ...counting(link.runner) } };
          },
          onChange: () => undefined,
          onInventory: () => undefined,
        }),
      );
    }
    const started = Date.now();
    await Promise.all(connections.map((host) => host.connect()));
    for (const host of connections) {
      await host.refresh();
      // Every command on the shared virsh session from here on is counted too.
      const session = host.requireSession();
      const runBatch = session.runBatch.bind(session);
      session.runBatch = (argvs, runOptions) => ((commands += argvs.length), runBatch(argvs, runOptions));
    }
    const held = connections.reduce((sum, host) => sum + (host.heldDefinitions()?.definitions.size ?? 0), 0);
    options.log({ phase: 'connected', hosts: connections.length, definitions_held: held, ms: Date.now() - started });

    const byId = new Map(connections.map((host) => [host.id, host]));
    const hosts = {
      list: (): HostSummary[] => connections.map((host) => host.getSummary()),
      find: (id: string) => byId.get(id),
      get: (id: string) => byId.get(id)!,
    };
    let settings: Settings = { language: null, theme: 'system', sidebarWidth: 280, advisor: DEFAULT_ADVISOR_SETTINGS };
    const store = { get: () => settings, set: async (patch: Partial<Settings>) => (settings = { ...settings, ...patch }) };
    const advisor = new AdvisorService(hosts, store, () => undefined);

    commands = 0;
    await advisor.refresh();
    const factsCommands = commands;
    const vms = options.hosts * options.vms;

    commands = 0;
    const cpu: number[] = [];
    let findings = advisor.report().findings;
    for (let run = 0; run < options.runs; run += 1) {
      const before = process.cpuUsage();
      advisor.recompute();
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
      findings = advisor.report().findings;
      options.log({ run: run + 1, main_cpu_ms: Math.round(used.user / 100 + used.system / 100) / 10, findings: findings.length });
    }
    const byRule: Record<string, number> = {};
    for (const item of findings) byRule[item.rule] = (byRule[item.rule] ?? 0) + 1;
    options.log({ findings_by_rule: byRule, facts_commands_per_host: factsCommands / options.hosts });
    options.log({ bench: 'advisor', hosts: options.hosts, vms, main_cpu_ms: Math.round(median(cpu) * 10) / 10, commands_per_vm: commands / vms, runs: options.runs });
    advisor.dispose();
  } finally {
    for (const host of connections) host.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `install.*`: the new-VM wizard's calls — what a host offers, recognising a source, the
 * preview of the definitions, creating the VM as one task (failed steps undone), the host
 * downloading an ISO into a pool, and a PXE-ready network. Install-source failures come back
 * as `SourceProblem` results (reason + params), never as thrown errors.
 */
import { ContractError, type InstallHostFacts, type installCalls, type OsChoice, type SourceProblem } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { removeFiles } from '../../connection/hostFiles.js';
import { runRemoteJob } from '../../connection/remoteJob.js';
import { readHostNet } from '../../hostnet/bridgeService.js';
import { hostTempPath } from '../../libvirt/definitions.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { LibvirtHost } from '../../libvirt/libvirtHost.js';
import { readNetworkXml } from '../../libvirt/networks.js';
import { createVm, uploadScratchFile, type CreateTestHooks } from '../../install/createRun.js';
import { specProblems, specToPlan, startProblems, type PreviewFacts } from '../../install/createVm.js';
import { buildDomainDefinitions } from '../../install/domainPlan.js';
import { checkInstallUrl, hostFetch } from '../../install/hostFetch.js';
import { inspectIso, probeTools, resourceFacts } from '../../install/installHost.js';
import { STORAGE_VOLUME, StorageVolumeDocument } from '../../libvirt/xml/storageVolumeDocument.js';
import { InstallWatcher } from '../../install/installWatcher.js';
import { mergeOsLists, OS_CATALOG, parseOsinfoQuery } from '../../install/osCatalog.js';
import { createPxeNetwork, networkServesPxe } from '../../install/pxe.js';
import { InstallSourceError, installSourceErrorOf } from '../../install/sourceErrors.js';
import { detectInstallTree } from '../../install/trees.js';
import { bridgeHostOf } from '../hostInterfaces/handlers.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';

/** A thrown install-source failure as the result the page shows; anything else is rethrown. */
async function asSourceResult<T>(work: () => Promise<T>): Promise<T | { ok: false; problem: SourceProblem }> {
  try {
    return await withLibvirtErrors(work);
  } catch (error) {
    const source = installSourceErrorOf(error);
    if (source) return { ok: false, problem: { reason: source.reason, params: source.params } };
    throw error;
  }
}

const SAFE_VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

export function installHandlers(hosts: HostService, tasks: TaskService, watcher: InstallWatcher, hooks: CreateTestHooks = {}): HandlersOf<typeof installCalls> {
  const hostFacts = async (hostId: string): Promise<InstallHostFacts> => {
    const connection = hosts.get(hostId);
    const libvirt = connection.libvirt();
    const [capabilities, nodeinfo, freecell, domcapabilities] = await Promise.all(
      libvirt.session.runBatch([['capabilities'], ['nodeinfo'], ['freecell', '--all'], ['domcapabilities']]),
    );
    const resources = resourceFacts({
      ...(capabilities?.ok ? { capabilities: capabilities.stdout } : {}),
      ...(nodeinfo?.ok ? { nodeinfo: nodeinfo.stdout } : {}),
      ...(freecell?.ok ? { freecell: freecell.stdout } : {}),
      ...(domcapabilities?.ok ? { domcapabilities: domcapabilities.stdout } : {}),
    });
    const inventory = await connection.getInventory();
    const demo = connection.getSummary().kind === 'demo';
    const [tools, net, networkXml] = await Promise.all([
      demo ? undefined : probeTools(libvirt.runner).catch(() => undefined),
      demo ? undefined : readHostNet(bridgeHostOf(connection)).catch(() => undefined),
      Promise.all(inventory.networks.map((network) => readNetworkXml(libvirt, network.name).catch(() => ''))),
    ]);
    const interfaces = net?.info.interfaces ?? [];
    return {
      ...resources,
      pools: inventory.pools.map((pool) => ({ name: pool.name, type: pool.type, ...(pool.path ? { path: pool.path } : {}), freeBytes: pool.availableBytes, active: pool.active })),
      networks: inventory.networks.map((network, index) => ({
        name: network.name,
        active: network.active,
        forward: network.forwardMode ?? 'isolated',
        dhcp: network.dhcpRange !== undefined,
        pxe: networkXml[index] ? networkServesPxe(networkXml[index]) : false,
      })),
      bridges: interfaces.filter((entry) => entry.kind === 'bridge' || entry.kind === 'ovs-bridge').map((entry) => entry.name),
      devices: interfaces.filter((entry) => entry.kind === 'ethernet' || entry.kind === 'bond' || entry.kind === 'vlan').map((entry) => entry.name),
      domainNames: inventory.vms.map((vm) => vm.name),
      tools: { fetch: tools?.fetch ?? null, xorriso: tools?.xorriso ?? false, osinfo: tools?.osinfo ?? false, seedBuilder: tools?.seedBuilder ?? null },
    };
  };

  const previewFacts = (hostId: string): Promise<PreviewFacts> => hostFacts(hostId);

  const libvirtOf = (hostId: string): LibvirtHost => hosts.get(hostId).libvirt();

  return {
    'install.hostFacts': ({ hostId }) => withLibvirtErrors(() => hostFacts(hostId)),

    'install.osList': async ({ hostId }) => {
      const connection = hosts.get(hostId);
      const appIds = new Set(OS_CATALOG.map((entry) => entry.id));
      let rows: ReturnType<typeof parseOsinfoQuery> = [];
      if (connection.getSummary().kind !== 'demo') {
        const tools = await probeTools(connection.runner).catch(() => undefined);
        if (tools?.osinfoQuery) {
          const result = await runRemoteJob(connection.runner, ['osinfo-query', 'os'], { timeoutMs: 60_000 }).catch(() => undefined);
          if (result?.code === 0) rows = parseOsinfoQuery(result.stdout);
        }
      }
      return mergeOsLists(rows).map((entry): OsChoice => ({ ...entry, origin: appIds.has(entry.id) ? 'app' : 'host' }));
    },

    'install.detectTree': ({ hostId, url, arch }) =>
      asSourceResult(async () => {
        const tree = await detectInstallTree(hosts.get(hostId).runner, url, { arch });
        return { ok: true as const, tree };
      }),

    'install.inspectIso': ({ hostId, path }) =>
      asSourceResult(async () => {
        if (!path.startsWith('/')) throw new InstallSourceError('bad-arguments', 'iso-unreadable', `${path} is not an absolute path on the host.`, { path });
        const connection = hosts.get(hostId);
        const runner = connection.runner;
        const tools = await probeTools(runner);
        const volumeAt = async (volumePath: string) => {
          const result = await connection.libvirt().session.run(['vol-dumpxml', '--vol', volumePath]);
          if (!result.ok) return undefined;
          const document = StorageVolumeDocument.parse(result.stdout);
          const format = document.get(STORAGE_VOLUME.format);
          return { capacityBytes: document.get(STORAGE_VOLUME.capacity) ?? 0, ...(format ? { format } : {}) };
        };
        return { ok: true as const, iso: await inspectIso(runner, path, tools, volumeAt) };
      }),

    'install.downloadIso': ({ hostId, url, pool, name }) =>
      asSourceResult(async () => {
        const checked = checkInstallUrl(url);
        if (!SAFE_VOLUME_NAME.test(name)) throw new ContractError('bad-arguments', `"${name}" cannot be a volume name.`);
        const connection = hosts.get(hostId);
        const libvirt = connection.libvirt();
        return tasks.run({ titleKey: 'install.task.download', titleParams: { name, pool, host: connection.getSummary().label }, hostId, cancellable: true }, async (context) => {
          const scratch = hostTempPath('.iso');
          try {
            context.log({ key: 'install.create.log.download', params: { url: checked } });
            const fetched = await hostFetch(libvirt.runner, 'file', checked, { out: scratch, signal: context.signal });
            if (!fetched.ok) throw new InstallSourceError('not-found', 'unreachable', `The host could not fetch ${checked}: ${fetched.reason}`, { url: checked, reason: fetched.reason });
            const path = await uploadScratchFile(libvirt, pool, scratch, name, context.signal);
            return { ok: true as const, path };
          } finally {
            await removeFiles(libvirt.runner, [scratch]).catch(() => undefined);
            await connection.refresh().catch(() => undefined);
          }
        });
      }),

    'install.preview': ({ hostId, spec }) =>
      withLibvirtErrors(async () => {
        const { problems, warnings } = specProblems(spec, await previewFacts(hostId));
        if (problems.length > 0) return { problems, warnings };
        const definitions = buildDomainDefinitions(specToPlan(spec));
        return { problems, warnings, installXml: definitions.install, finalXml: definitions.final };
      }),

    'install.create': async ({ hostId, spec, start }) => {
      const connection = hosts.get(hostId);
      const facts = await withLibvirtErrors(() => previewFacts(hostId));
      const refused = [...specProblems(spec, facts).problems, ...startProblems(spec, start)];
      if (refused.length > 0) return { ok: false, step: 'check', problems: refused, message: 'The choice has problems; nothing was created.' };
      const libvirt = libvirtOf(hostId);
      const outcome = await tasks.run({ titleKey: 'install.task.create', titleParams: { name: spec.name.trim(), host: connection.getSummary().label }, hostId, cancellable: true }, async (context) => {
        try {
          const result = await createVm(libvirt, spec, start, facts, { signal: context.signal, log: (key, params, level) => context.log({ key, ...(params ? { params } : {}), ...(level ? { level } : {}) }) }, hooks);
          if (!result.ok && result.step !== 'check') throw Object.assign(new ContractError('libvirt-error', result.message), { outcome: result });
          return result;
        } finally {
          await connection.refresh().catch(() => undefined);
        }
      }).catch((error: unknown) => {
        const carried = (error as { outcome?: Awaited<ReturnType<typeof createVm>> }).outcome;
        if (carried) return carried;
        throw error;
      });
      if (!outcome.ok) return outcome;
      if (outcome.started && outcome.installPhase) watcher.watch({ hostId, uuid: outcome.uuid, name: outcome.name, bootVolumes: outcome.bootVolumes });
      return { ok: true, name: outcome.name, uuid: outcome.uuid, started: outcome.started };
    },

    'install.createPxeNetwork': ({ hostId, spec }) =>
      asSourceResult(async () => {
        const connection = hosts.get(hostId);
        return tasks.run({ titleKey: 'install.task.pxeNetwork', titleParams: { name: spec.name, host: connection.getSummary().label }, hostId, cancellable: true }, async (context) => {
          try {
            const created = await createPxeNetwork(connection.libvirt(), spec, context.signal);
            return { ok: true as const, name: created.name, bootFile: created.bootFile };
          } finally {
            await connection.refresh().catch(() => undefined);
          }
        });
      }),
  };
}

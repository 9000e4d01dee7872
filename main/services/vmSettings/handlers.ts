/**
 * `vm.settings.*` and `vm.xml.*`: a VM's settings form and its raw XML editor. Both read the
 * persistent definition, refuse to write over one that changed on the host since it was read,
 * and leave the VM as it was when a step fails.
 */
import { ContractError, settingsProblems, type HostPathKind, type VmSettingsChange, type vmSettingsCalls } from '../../../preload/contract.js';
import type { HandlersOf } from '../../core/registry.js';
import { readDomainXml } from '../../libvirt/domains.js';
import { definitionRevision, readHostPathKind } from '../../libvirt/domainSettings.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';
import { applySettings, readSettings } from './settingsApply.js';
import { defineRawXml } from './rawXml.js';

export function vmSettingsHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof vmSettingsCalls> {
  return {
    'vm.settings.read': async ({ hostId, name }) => {
      const host = hosts.get(hostId);
      // The definition's text stays in main: the form works on typed fields only.
      const { inactiveXml: _xml, ...settings } = await withLibvirtErrors(() => readSettings(host, name));
      return settings;
    },
    'vm.settings.apply': async ({ hostId, name, revision, changes }) => {
      const host = hosts.get(hostId);
      const current = await withLibvirtErrors(() => readSettings(host, name));
      if (current.revision !== revision) return { outcome: 'changed-on-host' };
      // What each CD-ROM image is on the host, so a missing one is refused before anything changes.
      const hostPaths: Record<string, HostPathKind> = {};
      for (const path of hostPathsOf(changes)) hostPaths[path] = await withLibvirtErrors(() => readHostPathKind(host.libvirt(), path));
      const problems = settingsProblems(changes, current.limits, current.running, current.fields, hostPaths);
      const first = problems[0];
      if (first) throw new ContractError('bad-arguments', `The ${first.field} change is refused: ${first.code}.`, JSON.stringify(problems));
      assertOneChangePerField(changes);
      try {
        // A task: a multi-step apply (hot-plug, pinning, deleting a file) shows its steps in the task panel.
        const newName = await tasks.run({ titleKey: 'task.vm.settings', titleParams: { name, host: host.getSummary().label }, hostId }, (context) => withLibvirtErrors(() => applySettings(host.libvirt(), current, changes, context)));
        return { outcome: 'applied', name: newName };
      } finally {
        host.domainRedefined(name);
        await host.refresh().catch(() => undefined);
      }
    },
    'vm.settings.hostPath': async ({ hostId, path }) => {
      const libvirt = hosts.get(hostId).libvirt();
      return { kind: await withLibvirtErrors(() => readHostPathKind(libvirt, path)) };
    },
    'vm.xml.read': async ({ hostId, name }) => {
      const libvirt = hosts.get(hostId).libvirt();
      const xml = await withLibvirtErrors(() => readDomainXml(libvirt, name, { inactive: true, securityInfo: true }));
      return { xml, revision: definitionRevision(xml) };
    },
    'vm.xml.define': async ({ hostId, name, xml, revision, overwrite }) => {
      const host = hosts.get(hostId);
      try {
        return await withLibvirtErrors(() => defineRawXml(host.libvirt(), name, xml, { revision, overwrite: overwrite === true }));
      } finally {
        host.domainRedefined(name);
        await host.refresh().catch(() => undefined);
      }
    },
  };
}

/** The host paths a list of changes names (CD-ROM images, new disks' files), checked before anything changes. */
function hostPathsOf(changes: readonly VmSettingsChange[]): string[] {
  const paths = changes.flatMap((change) => (change.field === 'cdrom' ? [change.source] : change.field === 'diskAdd' && change.source.kind !== 'volume' ? [change.source.path] : []));
  return [...new Set(paths.filter((path) => path.startsWith('/')))];
}

function assertOneChangePerField(changes: readonly VmSettingsChange[]): void {
  const seen = new Set<string>();
  for (const change of changes) {
    const key = 'target' in change ? `${change.field}:${change.target}` : 'mac' in change ? `${change.field}:${change.mac.toLowerCase()}` : change.field;
    if (seen.has(key)) throw new ContractError('bad-arguments', `Two changes of ${key} in one apply.`);
    seen.add(key);
  }
}

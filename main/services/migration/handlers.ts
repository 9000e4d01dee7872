/** `vm.migrationCheck`, `vm.migrate` and the migration key calls: moving a VM between two hosts of the tree. */
import { ContractError, MigrationRequest, type MigrationCheck, type MigrationChecklist, type migrationCalls } from '../../../preload/contract.js';
import type { HandlersOf, Registry } from '../../core/registry.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import { jobFraction, migrateArgv, runMigration, type MigrationTarget } from '../../libvirt/migration.js';
import { runMigrationChecks } from '../../libvirt/migrationChecks.js';
import type { HostService } from '../hosts/hostService.js';
import type { TaskService } from '../tasks/taskService.js';
import { migrationKeyFile, removeMigrationKey, setUpMigrationKey } from './migrationKeys.js';

type Request = ReturnType<typeof MigrationRequest.parse>;

function targetCheck(status: MigrationCheck['status'], reason: MigrationCheck['reason'], params: Record<string, string> = {}): MigrationCheck {
  return { id: 'target', status, reason, params };
}

export function migrationHandlers(hosts: HostService, tasks: TaskService, emit: Registry['emit']): HandlersOf<typeof migrationCalls> {
  /** The two hosts, or the check that says why the target cannot be one. */
  const resolve = (request: { hostId: string; targetHostId: string }) => {
    const source = hosts.get(request.hostId);
    const target = hosts.find(request.targetHostId);
    const summary = target?.getSummary();
    const label = summary?.label ?? request.targetHostId;
    if (request.hostId === request.targetHostId) return { source, problem: targetCheck('fail', 'target-same-host', { target: label }) };
    if (!target || !summary) throw new ContractError('unknown-host', `No host with id ${request.targetHostId}`);
    const profile = hosts.profileOf(request.targetHostId);
    if (summary.status !== 'connected') return { source, problem: targetCheck('fail', 'target-not-connected', { target: label, status: summary.status }) };
    if (!profile || !/^qemu:\/\/[^/]*\/(system|session)$/.test(summary.uri) || !/^qemu:/.test(source.getSummary().uri)) {
      return { source, problem: targetCheck('fail', 'target-not-qemu', { target: label, uri: summary.uri }) };
    }
    if (profile.jumpHosts.length > 0) return { source, problem: targetCheck('fail', 'target-not-connected', { target: label, status: 'behind-jump-host' }) };
    return { source, target, profile, label };
  };

  const checklist = async (request: Request): Promise<{ list: MigrationChecklist; destination?: MigrationTarget }> => {
    const resolved = resolve(request);
    if (!('target' in resolved) || !resolved.target || !resolved.profile) {
      const problem = 'problem' in resolved ? resolved.problem : targetCheck('fail', 'target-not-connected');
      return { list: { checks: [problem], allowed: false, warnings: 0, keySetup: { offered: false, installed: false } } };
    }
    const { source, target, profile } = resolved;
    const sourceHost = source.libvirt();
    const keyFile = await migrationKeyFile(sourceHost.runner);
    const destination: MigrationTarget = { address: profile.address, port: profile.port, user: profile.user, uri: target.getSummary().uri, ...(keyFile ? { keyFile } : {}) };
    const [sourceInventory, targetInventory] = await Promise.all([source.getInventory(), target.getInventory()]);
    const checks = await withLibvirtErrors(() =>
      runMigrationChecks({
        source: sourceHost,
        target: target.libvirt(),
        sourceSummary: source.getSummary(),
        targetSummary: target.getSummary(),
        sourceInventory,
        targetInventory,
        name: request.name,
        mode: request.mode,
        storage: request.storage,
        persistent: request.persistent,
        destination,
      }),
    );
    const all = [targetCheck('pass', 'target-ok', { target: resolved.label }), ...checks];
    const connection = checks.find((entry) => entry.id === 'connection');
    const offered = connection?.status === 'fail' && (connection.reason === 'connection-auth' || connection.reason === 'connection-host-key') && hosts.verifiedHostKey(request.targetHostId) !== undefined;
    return {
      list: { checks: all, allowed: all.every((entry) => entry.status !== 'fail'), warnings: all.filter((entry) => entry.status === 'warn').length, keySetup: { offered, installed: keyFile !== undefined } },
      destination,
    };
  };

  return {
    'vm.migrationCheck': async (request) => (await checklist(MigrationRequest.parse(request))).list,

    'vm.migrate': async ({ overrideWarnings, ...rest }) => {
      const request = MigrationRequest.parse(rest);
      const { list, destination } = await checklist(request);
      const failed = list.checks.filter((entry) => entry.status === 'fail');
      const warned = list.checks.filter((entry) => entry.status === 'warn');
      // Refused before anything moves: any failure, and warnings unless the user overrode them.
      if (failed.length > 0 || !destination) {
        throw new ContractError('migration-refused', `${request.name} cannot be migrated: ${failed.map((entry) => entry.reason).join(', ')}.`, JSON.stringify(failed));
      }
      if (warned.length > 0 && !overrideWarnings) {
        throw new ContractError('migration-refused', `${request.name} has warnings that need your override: ${warned.map((entry) => entry.reason).join(', ')}.`, JSON.stringify(warned));
      }
      const source = hosts.get(request.hostId);
      const target = hosts.get(request.targetHostId);
      const libvirt = source.libvirt();
      const argv = migrateArgv(request.name, destination, {
        mode: request.mode,
        storage: request.storage,
        persistent: request.persistent,
        undefineSource: request.undefineSource,
        ...(request.bandwidthMiBs === undefined ? {} : { bandwidthMiBs: request.bandwidthMiBs }),
      });
      const titleParams = { name: request.name, host: source.getSummary().label, target: target.getSummary().label };
      await tasks.run({ titleKey: 'task.vm.migrate', titleParams, hostId: request.hostId, cancellable: true }, async (context) => {
        context.log({ text: `virsh ${argv.join(' ')}` });
        try {
          await withLibvirtErrors(() =>
            runMigration(libvirt, request.name, argv, {
              signal: context.signal,
              onProgress: (numbers) => {
                context.progress(jobFraction(numbers));
                emit('migration.progress', { taskId: context.taskId, hostId: request.hostId, name: request.name, ...numbers });
              },
            }),
          );
          context.progress(1);
        } finally {
          // Both hosts as they now are: the VM under the target in the tree, or still on the source.
          await Promise.all([source.refresh().catch(() => undefined), target.refresh().catch(() => undefined)]);
        }
      });
      return { hostId: request.targetHostId, name: request.name };
    },

    'vm.migrationKeySetup': async ({ hostId, targetHostId }) => {
      const resolved = resolve({ hostId, targetHostId });
      if (!('target' in resolved) || !resolved.target) throw new ContractError('migration-refused', `The key cannot be set up: ${'problem' in resolved ? resolved.problem.reason : 'target'}.`);
      const key = hosts.verifiedHostKey(targetHostId);
      if (!key) throw new ContractError('migration-refused', 'The app has no verified host key of the target to record on the source.');
      return setUpMigrationKey(resolved.source.libvirt().runner, resolved.target.libvirt().runner, key, resolved.source.getSummary().label);
    },

    'vm.migrationKeyRemove': async ({ hostId, targetHostId }) => {
      const source = hosts.get(hostId);
      const target = hosts.get(targetHostId);
      return removeMigrationKey(source.libvirt().runner, target.libvirt().runner, hosts.verifiedHostKey(targetHostId));
    },
  };
}

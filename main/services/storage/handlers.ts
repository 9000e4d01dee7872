/**
 * `storage.*` calls and the `volume.upload` / `volume.download` streams: pools and volumes on a
 * host. Everything that can take long runs as a task (progress, cancel, log, history); every
 * change ends by reading the host again so the tree and tables show it as it now is.
 */
import { ContractError, storageNameProblem, type storageCalls, type storageStreams } from '../../../preload/contract.js';
import type { HandlersOf, ServerStream, StreamHandlers } from '../../core/registry.js';
import { withLibvirtErrors } from '../../libvirt/libvirtErrors.js';
import { isFileBasedPool } from '../../libvirt/poolDefinition.js';
import { openVolumeDownload, uploadVolume } from '../../libvirt/volumeTransfer.js';
import { buildPool, createPool, DEFAULT_POOL, deletePool, findPoolSources, planPoolDelete, poolFacts, refreshPool, setPoolAutostart, startPool, stopPool } from '../../libvirt/pools.js';
import { retargetDisk } from '../../libvirt/diskRetarget.js';
import { cloneVolumeChecked, convertVolume, createVolumeFromSpec, deleteUnusedVolume, listVolumes, resizeVolume, wipeVolume } from '../../libvirt/volumes.js';
import type { HostFileReader } from '../../connection/hostFiles.js';
import type { HostService } from '../hosts/hostService.js';
import { downloadStream, uploadStream } from '../streams/serverStreams.js';
import type { TaskContext, TaskService } from '../tasks/taskService.js';

/** Progress events at most this often: a 1 GiB transfer must not send 16,000 of them. */
const PROGRESS_EVERY_MS = 200;

function throttled(report: (fraction: number) => void): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    const now = Date.now();
    if (now - last < PROGRESS_EVERY_MS && fraction < 1) return;
    last = now;
    report(fraction);
  };
}

export function storageHandlers(hosts: HostService, tasks: TaskService): HandlersOf<typeof storageCalls> {
  const hostOf = (hostId: string) => {
    const host = hosts.get(hostId);
    host.requireSession();
    return { host, libvirt: host.libvirt(), label: host.getSummary().label };
  };
  /** Quick work; the host is read again afterwards. */
  const change = async (hostId: string, work: () => Promise<unknown>): Promise<null> => {
    const { host } = hostOf(hostId);
    try {
      await withLibvirtErrors(work);
    } finally {
      await host.refresh().catch(() => undefined);
    }
    return null;
  };
  /** Work as a task whose end shows the host as it now is. */
  const asTask = <T>(hostId: string, titleKey: string, params: Record<string, string>, cancellable: boolean, work: (context: TaskContext) => Promise<T>) => {
    const { host, label } = hostOf(hostId);
    return tasks.run({ titleKey, titleParams: { ...params, host: label }, hostId, cancellable }, async (context) => {
      try {
        return await withLibvirtErrors(() => work(context));
      } finally {
        await host.refresh().catch(() => undefined);
      }
    });
  };
  const poolNames = async (hostId: string) => (await hostOf(hostId).host.getInventory()).pools.map((pool) => pool.name);

  return {
    'storage.volumes': ({ hostId, pool }) => withLibvirtErrors(() => listVolumes(hostOf(hostId).libvirt, pool)),

    'storage.poolCreate': async ({ hostId, spec, options }) => {
      const { libvirt } = hostOf(hostId);
      const taken = await poolNames(hostId);
      const problem = storageNameProblem(spec.name, taken);
      if (problem) throw new ContractError('bad-arguments', `The pool name "${spec.name}" cannot be used (${problem}).`);
      await asTask(hostId, 'task.pool.create', { pool: spec.name }, false, () => createPool(libvirt, spec, options, taken));
      return null;
    },

    'storage.createDefaultPool': async ({ hostId }) => {
      const { libvirt } = hostOf(hostId);
      const taken = await poolNames(hostId);
      if (taken.includes(DEFAULT_POOL.name)) throw new ContractError('bad-arguments', 'This host already has a pool named default.');
      await asTask(hostId, 'task.pool.create', { pool: DEFAULT_POOL.name }, false, () => createPool(libvirt, DEFAULT_POOL, { build: true, start: true, autostart: true }, taken));
      return null;
    },

    'storage.poolAction': ({ hostId, pool, action }) => {
      const { libvirt } = hostOf(hostId);
      switch (action) {
        case 'start':
          return change(hostId, () => startPool(libvirt, pool));
        case 'stop':
          return change(hostId, () => stopPool(libvirt, pool));
        case 'refresh':
          return change(hostId, () => refreshPool(libvirt, pool));
        case 'build':
          return asTask(hostId, 'task.pool.build', { pool }, false, () => buildPool(libvirt, pool)).then(() => null);
        case 'autostart-on':
        case 'autostart-off':
          return change(hostId, () => setPoolAutostart(libvirt, pool, action === 'autostart-on'));
      }
    },

    'storage.poolDeletePlan': ({ hostId, pool }) => withLibvirtErrors(() => planPoolDelete(hostOf(hostId).libvirt, pool)),

    'storage.poolDelete': async ({ hostId, pool, deleteData }) => {
      const { libvirt } = hostOf(hostId);
      await asTask(hostId, 'task.pool.delete', { pool }, false, () => deletePool(libvirt, pool, { deleteData }));
      return null;
    },

    'storage.findSources': ({ hostId, type, server }) => withLibvirtErrors(() => findPoolSources(hostOf(hostId).libvirt, type, server)),

    'storage.volumeCreate': async ({ hostId, pool, spec }) => {
      const { libvirt } = hostOf(hostId);
      await asTask(hostId, 'task.volume.create', { pool, volume: spec.name }, false, () => createVolumeFromSpec(libvirt, pool, spec));
      return null;
    },

    'storage.volumeResize': ({ hostId, pool, volume, capacityBytes }) => change(hostId, () => resizeVolume(hostOf(hostId).libvirt, pool, volume, capacityBytes)),

    'storage.volumeDelete': ({ hostId, pool, volume }) => change(hostId, () => deleteUnusedVolume(hostOf(hostId).libvirt, pool, volume)),

    'storage.volumeClone': async ({ hostId, pool, volume, newName }) => {
      const { libvirt } = hostOf(hostId);
      await asTask(hostId, 'task.volume.clone', { pool, volume, newName }, true, ({ signal, progress }) => cloneVolumeChecked(libvirt, pool, volume, newName, { signal, progress: throttled(progress) }));
      return null;
    },

    'storage.volumeWipe': async ({ hostId, pool, volume, algorithm }) => {
      const { libvirt } = hostOf(hostId);
      await asTask(hostId, 'task.volume.wipe', { pool, volume }, true, ({ signal }) => wipeVolume(libvirt, pool, volume, algorithm, { signal }));
      return null;
    },

    'storage.volumeConvert': ({ hostId, pool, volume, format, newName }) => {
      const { libvirt } = hostOf(hostId);
      return asTask(hostId, 'task.volume.convert', { pool, volume, newName, format }, true, ({ signal, progress }) =>
        convertVolume(libvirt, pool, volume, format, newName, { signal, progress: throttled(progress) }),
      );
    },

    'storage.retargetDisk': ({ hostId, vm, fromPath, toPath, format }) => change(hostId, () => retargetDisk(hostOf(hostId).libvirt, vm, fromPath, toPath, format)),
  };
}

/** Uploads into a pool and downloads out of it: streams whose work is a task. */
export function storageStreamHandlers(hosts: HostService, tasks: TaskService): Pick<StreamHandlers, keyof typeof storageStreams> {
  const hostOf = (hostId: string) => {
    const host = hosts.get(hostId);
    host.requireSession();
    return { host, libvirt: host.libvirt(), label: host.getSummary().label };
  };

  return {
    'volume.upload': async ({ hostId, pool, name, size }) => {
      const { host, libvirt, label } = hostOf(hostId);
      // Refused before a byte moves: a bad or taken name, a pool that is not a folder, too little space.
      const listing = await withLibvirtErrors(() => listVolumes(libvirt, pool));
      const problem = storageNameProblem(name, listing.volumes.map((volume) => volume.name));
      if (problem) throw new ContractError('bad-arguments', `The volume name "${name}" cannot be used (${problem}).`);
      const facts = await withLibvirtErrors(() => poolFacts(libvirt, pool));
      if (!facts.active) throw new ContractError('bad-arguments', `The pool ${pool} is not running.`);
      if (!isFileBasedPool(facts.type) || !facts.targetPath) throw new ContractError('bad-arguments', `Files cannot be uploaded into a ${facts.type} pool; choose a pool of files (dir, fs, netfs).`);
      const summary = (await host.getInventory()).pools.find((candidate) => candidate.name === pool);
      if (summary && size > summary.availableBytes) throw new ContractError('bad-arguments', `The file (${size} bytes) is larger than the free space of ${pool} (${summary.availableBytes} bytes).`);
      return uploadStream((source, streamSignal) =>
        tasks.run({ titleKey: 'task.volume.upload', titleParams: { pool, volume: name, host: label }, hostId, cancellable: true }, async (context) => {
          const progress = throttled(context.progress);
          try {
            const method = await withLibvirtErrors(() =>
              uploadVolume(libvirt, pool, name, source, {
                size,
                asRoot: host.runsThroughSudo,
                signal: AbortSignal.any([streamSignal, context.signal]),
                onProgress: (bytes) => progress(size === 0 ? 1 : bytes / size),
              }),
            );
            context.log({ key: `task.log.method.${method}`, params: { pool, volume: name } });
          } finally {
            await host.refresh().catch(() => undefined);
          }
        }),
      );
    },

    'volume.download': async ({ hostId, pool, volume, transfer }) => {
      const { host, libvirt, label } = hostOf(hostId);
      let received = 0;
      let report: ((fraction: number) => void) | undefined;
      // The task starts before the volume is opened, so a download that cannot start fails as a
      // task too: a page whose browser saves the bytes learns why from the task (by `transfer`).
      let opened: (value: { reader: HostFileReader; inner: ServerStream }) => void = () => undefined;
      let refused: (error: unknown) => void = () => undefined;
      const ready = new Promise<{ reader: HostFileReader; inner: ServerStream }>((resolve, reject) => {
        opened = resolve;
        refused = reject;
      });
      void tasks
        .run({ titleKey: 'task.volume.download', titleParams: { pool, volume, host: label, ...(transfer ? { transfer } : {}) }, hostId, cancellable: true }, async (context) => {
          let reader: HostFileReader;
          let method: string;
          try {
            ({ reader, method } = await withLibvirtErrors(() => openVolumeDownload(libvirt, pool, volume, { asRoot: host.runsThroughSudo, signal: context.signal })));
          } catch (error) {
            refused(error);
            throw error;
          }
          const inner = downloadStream(reader);
          report = throttled(context.progress);
          context.log({ key: `task.log.method.${method}`, params: { pool, volume } });
          context.signal.addEventListener('abort', () => inner.close(), { once: true });
          const done = new Promise<void>((resolve, reject) => {
            inner.onClose((error) => (error ? reject(ContractError.from(error)) : received === reader.size ? resolve() : reject(new ContractError('cancelled', 'The download was stopped.'))));
          });
          opened({ reader, inner });
          return done;
        })
        .catch(() => undefined);
      const { reader, inner } = await ready;
      const stream: ServerStream = {
        ...inner,
        onData: (listener) =>
          inner.onData((data) => {
            received += data.byteLength;
            report?.(reader.size === 0 ? 1 : received / reader.size);
            listener(data);
          }),
      };
      return stream;
    },
  };
}

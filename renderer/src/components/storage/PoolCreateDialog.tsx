/**
 * "New storage pool": a type and, for it, exactly the fields libvirt needs — a folder (dir), a
 * block device with a file system and a mount folder (fs), an NFS server and export (netfs,
 * with the server's exports found on request), a volume group existing or built from devices
 * (logical), a portal and target (iscsi, with the portal's targets found on request). Names
 * and paths are checked as typed; main checks the devices and servers before defining anything.
 */
import { useMemo, useState, type ReactElement } from 'react';
import { POOL_TYPES, storageNameProblem, type PoolSpec, type PoolType } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { FormField } from '../common/FormField.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { runStorageCall } from './storageCall.js';

const EMPTY: readonly string[] = [];
const isAbsolute = (path: string) => /^\/[^\n]*$/.test(path);
const HOST_NAME = /^[A-Za-z0-9.:_[\]-]+$/;
const IQN = /^(iqn|eui|naa)\.\S+$/;

interface Draft {
  type: PoolType;
  name: string;
  targetPath: string;
  device: string;
  fsFormat: 'auto' | 'ext4' | 'ext3' | 'xfs';
  server: string;
  exportPath: string;
  volumeGroup: string;
  devices: string;
  port: string;
  iqn: string;
  build: boolean;
  start: boolean;
  autostart: boolean;
}

type Problems = Partial<Record<'name' | 'targetPath' | 'device' | 'server' | 'exportPath' | 'volumeGroup' | 'devices' | 'port' | 'iqn', string>>;

function specOf(draft: Draft): PoolSpec {
  switch (draft.type) {
    case 'dir':
      return { type: 'dir', name: draft.name, targetPath: draft.targetPath };
    case 'fs':
      return { type: 'fs', name: draft.name, device: draft.device, format: draft.fsFormat, targetPath: draft.targetPath };
    case 'netfs':
      return { type: 'netfs', name: draft.name, server: draft.server, exportPath: draft.exportPath, format: 'nfs', targetPath: draft.targetPath };
    case 'logical':
      return { type: 'logical', name: draft.name, volumeGroup: draft.volumeGroup, devices: draft.devices.split(/[\s,]+/).filter(Boolean) };
    case 'iscsi':
      return { type: 'iscsi', name: draft.name, portal: draft.server, iqn: draft.iqn, ...(draft.port ? { port: Number(draft.port) } : {}) };
  }
}

export function PoolCreateDialog({ hostId, onClose }: { hostId: string; onClose(): void }) {
  const t = useT();
  const pools = useInventoryStore((state) => state.byHost[hostId]?.pools);
  const taken = useMemo(() => pools?.map((pool) => pool.name) ?? EMPTY, [pools]);
  const [draft, setDraft] = useState<Draft>({ type: 'dir', name: '', targetPath: '', device: '', fsFormat: 'auto', server: '', exportPath: '', volumeGroup: '', devices: '', port: '', iqn: '', build: true, start: true, autostart: true });
  const [sources, setSources] = useState<{ busy: boolean; found?: string[]; error?: ErrorInfo }>({ busy: false });
  const change = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  const problems: Problems = {};
  const nameProblem = storageNameProblem(draft.name, taken);
  if (nameProblem) problems.name = t(`storage.nameProblem.${nameProblem}`);
  const needsTarget = draft.type === 'dir' || draft.type === 'fs' || draft.type === 'netfs';
  if (needsTarget && !isAbsolute(draft.targetPath)) problems.targetPath = t('storage.problem.absolute');
  if (draft.type === 'fs' && !/^\/dev\//.test(draft.device)) problems.device = t('storage.problem.device');
  if ((draft.type === 'netfs' || draft.type === 'iscsi') && !HOST_NAME.test(draft.server)) problems.server = t('storage.problem.server');
  if (draft.type === 'netfs' && !isAbsolute(draft.exportPath)) problems.exportPath = t('storage.problem.absolute');
  if (draft.type === 'logical' && !/^[A-Za-z0-9_.+-]+$/.test(draft.volumeGroup)) problems.volumeGroup = t('storage.problem.volumeGroup');
  if (draft.type === 'logical' && draft.devices.split(/[\s,]+/).filter(Boolean).some((device) => !/^\/dev\//.test(device))) problems.devices = t('storage.problem.device');
  if (draft.type === 'iscsi' && draft.port !== '' && !(Number.isInteger(Number(draft.port)) && Number(draft.port) >= 1 && Number(draft.port) <= 65535)) problems.port = t('storage.problem.port');
  if (draft.type === 'iscsi' && !IQN.test(draft.iqn)) problems.iqn = t('storage.problem.iqn');
  const blocked = Object.keys(problems).length > 0;
  // A logical pool built from nothing has nothing to build; an existing VG needs no build.
  const canBuild = draft.type === 'dir' || draft.type === 'fs' || draft.type === 'netfs' || (draft.type === 'logical' && draft.devices.trim() !== '');

  const submit = () => {
    if (blocked) return;
    onClose();
    void runStorageCall(hostId, requireClient().call('storage.poolCreate', { hostId, spec: specOf(draft), options: { build: canBuild && draft.build, start: draft.start, autostart: draft.autostart } }), 'storage.pool.createFailed', { name: draft.name });
  };

  const discover = () => {
    if (draft.type !== 'netfs' && draft.type !== 'iscsi') return;
    setSources({ busy: true });
    requireClient()
      .call('storage.findSources', { hostId, type: draft.type, server: draft.server })
      .then(
        (found) => setSources({ busy: false, found }),
        (failure: unknown) => setSources({ busy: false, error: toErrorInfo(failure) }),
      );
  };

  const field = (key: keyof Problems, label: string, input: ReactElement<Record<string, unknown>>, hint?: string) => (
    <FormField id={`pool-${key}`} label={label} field={key} errorTestId={`pool-${key}-error`} error={problems[key]} hint={hint}>
      {input}
    </FormField>
  );
  const text = (key: 'name' | 'targetPath' | 'device' | 'server' | 'exportPath' | 'volumeGroup' | 'devices' | 'port' | 'iqn', placeholder?: string) => (
    <input className="input mono" data-testid={`pool-${key}`} value={draft[key]} placeholder={placeholder} onChange={(event) => change({ [key]: event.target.value })} />
  );

  return (
    <Dialog
      title={t('storage.pool.createTitle')}
      onClose={onClose}
      testId="pool-create-dialog"
      dismissOnBackdrop={false}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="pool-create-ok" disabled={blocked} onClick={submit}>
            {t('storage.pool.create')}
          </button>
        </>
      }
    >
      <form
        className="dialog-stack"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <FormField id="pool-type" label={t('storage.field.poolType')} field="type" errorTestId="pool-type-error" hint={t(`storage.poolType.${draft.type}.hint`)}>
          <select className="select" data-testid="pool-type" value={draft.type} onChange={(event) => (change({ type: event.target.value as PoolType }), setSources({ busy: false }))}>
            {POOL_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`storage.poolType.${type}`)}
              </option>
            ))}
          </select>
        </FormField>
        {field('name', t('storage.field.poolName'), <input className="input mono" data-testid="pool-name" data-autofocus value={draft.name} maxLength={220} onChange={(event) => change({ name: event.target.value })} />)}
        {draft.type === 'fs' && (
          <>
            {field('device', t('storage.field.device'), text('device', '/dev/sdb1'))}
            <FormField id="pool-fs-format" label={t('storage.field.fsFormat')} field="fsFormat" errorTestId="pool-fs-format-error">
              <select className="select" data-testid="pool-fs-format" value={draft.fsFormat} onChange={(event) => change({ fsFormat: event.target.value as Draft['fsFormat'] })}>
                {(['auto', 'ext4', 'ext3', 'xfs'] as const).map((format) => (
                  <option key={format} value={format}>
                    {format === 'auto' ? t('storage.field.fsAuto') : format}
                  </option>
                ))}
              </select>
            </FormField>
          </>
        )}
        {(draft.type === 'netfs' || draft.type === 'iscsi') && (
          <div className="field-row">
            {field('server', t(draft.type === 'netfs' ? 'storage.field.nfsServer' : 'storage.field.portal'), text('server', '192.0.2.10'))}
            {draft.type === 'iscsi' && field('port', t('storage.field.port'), text('port', '3260'))}
            <button type="button" className="button discover-button" data-testid="pool-discover" disabled={!HOST_NAME.test(draft.server) || sources.busy} onClick={discover}>
              {sources.busy && <Spinner size="small" />}
              {t(draft.type === 'netfs' ? 'storage.discover.exports' : 'storage.discover.targets')}
            </button>
          </div>
        )}
        {sources.error && <ErrorNotice title={t('storage.discover.failed', { server: draft.server })} error={sources.error} />}
        {sources.found && sources.found.length === 0 && <p className="muted">{t('storage.discover.none')}</p>}
        {sources.found && sources.found.length > 0 && (
          <ul className="discovered" data-testid="pool-discovered">
            {sources.found.map((found) => (
              <li key={found}>
                <button type="button" className="link-button mono" onClick={() => change(draft.type === 'netfs' ? { exportPath: found } : { iqn: found })}>
                  {found}
                </button>
              </li>
            ))}
          </ul>
        )}
        {draft.type === 'netfs' && field('exportPath', t('storage.field.exportPath'), text('exportPath', '/srv/images'))}
        {draft.type === 'iscsi' && field('iqn', t('storage.field.iqn'), text('iqn', 'iqn.2026-01.com.example:storage'))}
        {draft.type === 'logical' && (
          <>
            {field('volumeGroup', t('storage.field.volumeGroup'), text('volumeGroup', 'vg0'))}
            {field('devices', t('storage.field.devices'), text('devices', '/dev/sdb /dev/sdc'), t('storage.field.devicesHint'))}
          </>
        )}
        {needsTarget && field('targetPath', t(draft.type === 'dir' ? 'storage.field.folder' : 'storage.field.mountPoint'), text('targetPath', draft.type === 'dir' ? '/var/lib/libvirt/images' : '/mnt/pool'))}
        {canBuild && (
          <label className="checkbox-label">
            <input type="checkbox" className="checkbox" data-testid="pool-build" checked={draft.build} onChange={(event) => change({ build: event.target.checked })} />
            {t(`storage.build.${draft.type}`)}
          </label>
        )}
        <label className="checkbox-label">
          <input type="checkbox" className="checkbox" data-testid="pool-start" checked={draft.start} onChange={(event) => change({ start: event.target.checked })} />
          {t('storage.field.startNow')}
        </label>
        <label className="checkbox-label">
          <input type="checkbox" className="checkbox" data-testid="pool-autostart-new" checked={draft.autostart} onChange={(event) => change({ autostart: event.target.checked })} />
          {t('storage.pool.autostart')}
        </label>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

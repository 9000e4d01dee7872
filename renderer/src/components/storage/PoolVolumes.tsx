/**
 * A pool's volumes: name, format, capacity, allocation, backing file, the VMs using each; New
 * volume and Upload above, and per volume Download, Resize, Clone, Convert, Wipe, Delete. A
 * volume a VM uses cannot be wiped or deleted; after converting one, the VMs using the old
 * volume can be pointed at the new one.
 */
import { useState } from 'react';
import type { PoolSummary, StorageVolume, VolumeFormat } from '../../../../preload/contract.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { belowElement, Menu, type MenuPosition } from '../common/Menu.js';
import { Spinner } from '../common/Spinner.js';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.js';
import { DownloadDialog, UploadDialog } from './TransferDialog.js';
import { runStorageCall } from './storageCall.js';
import { usePoolVolumes } from './usePoolVolumes.js';
import { VolumeCopyDialog, VolumeCreateDialog, VolumeResizeDialog, VolumeWipeDialog } from './VolumeDialogs.js';

type Open =
  | { kind: 'create' | 'upload' }
  | { kind: 'download' | 'resize' | 'clone' | 'convert' | 'wipe' | 'delete'; volume: StorageVolume }
  | { kind: 'retarget'; volume: StorageVolume; path: string; format: VolumeFormat };

export function PoolVolumes({ hostId, pool }: { hostId: string; pool: PoolSummary }) {
  const t = useT();
  const { listing, error, loading, reload } = usePoolVolumes(hostId, pool.name);
  const [open, setOpen] = useState<Open | undefined>();
  const [menu, setMenu] = useState<{ volume: StorageVolume; position: MenuPosition } | undefined>();
  const close = () => setOpen(undefined);
  const volumes = listing?.volumes ?? [];
  const context = { hostId, pool: pool.name, availableBytes: pool.availableBytes, volumes, onChanged: reload, onClose: close };

  if (!pool.active) return <p className="muted">{t('storage.volumes.inactive')}</p>;
  return (
    <>
      <div className="toolbar" role="toolbar" aria-label={t('storage.volumes.actions')}>
        <button type="button" className="button" data-testid="volume-new" onClick={() => setOpen({ kind: 'create' })}>
          <Icon name="plus" size={14} />
          {t('storage.volume.new')}
        </button>
        <button type="button" className="button" data-testid="volume-upload" disabled={!listing?.fileBased} title={listing && !listing.fileBased ? t('storage.upload.notFileBased') : undefined} onClick={() => setOpen({ kind: 'upload' })}>
          <Icon name="download" size={14} />
          {t('storage.upload.button')}
        </button>
        {loading && <Spinner size="small" />}
      </div>
      {error && <ErrorNotice title={t('storage.volumes.failed', { pool: pool.name })} error={error} />}
      {listing && volumes.length === 0 && <p className="muted">{t('storage.volumes.none')}</p>}
      {volumes.length > 0 && (
        <table className="data-table volume-list" data-testid="volume-table">
          <thead>
            <tr>
              <th>{t('storage.column.name')}</th>
              <th>{t('storage.column.format')}</th>
              <th className="numeric">{t('storage.column.capacity')}</th>
              <th className="numeric">{t('storage.column.allocation')}</th>
              <th>{t('storage.column.backing')}</th>
              <th>{t('storage.column.usedBy')}</th>
              <th aria-label={t('storage.column.actions')} />
            </tr>
          </thead>
          <tbody>
            {volumes.map((volume) => (
              <tr key={volume.name} data-testid="volume-row" data-name={volume.name} data-format={volume.format ?? ''}>
                <td className="mono" title={volume.path}>
                  {volume.name}
                </td>
                <td>{volume.format ?? t('common.notAvailable')}</td>
                <td className="numeric">{formatBytes(volume.capacityBytes, t.language)}</td>
                <td className="numeric">{formatBytes(volume.allocationBytes, t.language)}</td>
                <td className="mono volume-path">{volume.backingPath ?? t('common.notAvailable')}</td>
                <td data-testid="volume-used-by">{volume.usedBy.length > 0 ? volume.usedBy.join(', ') : t('storage.volume.unused')}</td>
                <td className="row-actions">
                  <button type="button" className="icon-button" data-testid="volume-menu" aria-label={t('storage.volume.menu', { name: volume.name })} onClick={(event) => setMenu({ volume, position: belowElement(event.currentTarget) })}>
                    <Icon name="more" size={16} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {menu && (
        <Menu
          label={t('storage.volume.menu', { name: menu.volume.name })}
          position={menu.position}
          onClose={() => setMenu(undefined)}
          testId="volume-menu-list"
          entries={[
            { id: 'download', label: t('storage.download.button'), icon: 'download', testId: 'volume-action-download', onSelect: () => setOpen({ kind: 'download', volume: menu.volume }) },
            'separator',
            { id: 'resize', label: t('storage.volume.resize'), icon: 'pencil', testId: 'volume-action-resize', onSelect: () => setOpen({ kind: 'resize', volume: menu.volume }) },
            { id: 'clone', label: t('storage.volume.clone'), icon: 'copy', testId: 'volume-action-clone', onSelect: () => setOpen({ kind: 'clone', volume: menu.volume }) },
            { id: 'convert', label: t('storage.volume.convert'), icon: 'refresh', testId: 'volume-action-convert', disabled: !listing?.fileBased, onSelect: () => setOpen({ kind: 'convert', volume: menu.volume }) },
            'separator',
            { id: 'wipe', label: t('storage.volume.wipe'), icon: 'alert', danger: true, disabled: menu.volume.usedBy.length > 0, testId: 'volume-action-wipe', onSelect: () => setOpen({ kind: 'wipe', volume: menu.volume }) },
            { id: 'delete', label: t('storage.volume.delete'), icon: 'trash', danger: true, disabled: menu.volume.usedBy.length > 0, testId: 'volume-action-delete', onSelect: () => setOpen({ kind: 'delete', volume: menu.volume }) },
          ]}
        />
      )}
      {open?.kind === 'create' && <VolumeCreateDialog {...context} />}
      {open?.kind === 'upload' && <UploadDialog hostId={hostId} pool={pool.name} availableBytes={pool.availableBytes} volumes={volumes} onClose={() => (close(), reload())} />}
      {open?.kind === 'download' && <DownloadDialog hostId={hostId} pool={pool.name} volume={open.volume} onClose={close} />}
      {open?.kind === 'resize' && <VolumeResizeDialog {...context} volume={open.volume} />}
      {open?.kind === 'clone' && <VolumeCopyDialog {...context} volume={open.volume} mode="clone" />}
      {open?.kind === 'convert' && (
        <VolumeCopyDialog
          {...context}
          volume={open.volume}
          mode="convert"
          onConverted={(path, format) => {
            const source = open.volume;
            if (source.usedBy.length > 0) setOpen({ kind: 'retarget', volume: source, path, format });
          }}
        />
      )}
      {open?.kind === 'wipe' && <VolumeWipeDialog {...context} volume={open.volume} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('storage.volume.deleteTitle', { name: open.volume.name })}
          body={t('storage.volume.deleteBody', { name: open.volume.name, pool: pool.name })}
          confirmLabel={t('storage.volume.delete')}
          danger
          testId="volume-delete-dialog"
          onCancel={close}
          onConfirm={() => {
            const volume = open.volume;
            close();
            void runStorageCall(hostId, requireClient().call('storage.volumeDelete', { hostId, pool: pool.name, volume: volume.name }), 'storage.volume.deleteFailed', { name: volume.name }, reload);
          }}
        />
      )}
      {open?.kind === 'retarget' && (
        <ConfirmDialog
          title={t('storage.retarget.title')}
          body={t('storage.retarget.body', { vms: open.volume.usedBy.join(', '), old: open.volume.path, path: open.path })}
          confirmLabel={t('storage.retarget.confirm')}
          testId="retarget-dialog"
          onCancel={close}
          onConfirm={() => {
            const { volume, path, format } = open;
            close();
            void Promise.all(
              volume.usedBy.map((vm) => runStorageCall(hostId, requireClient().call('storage.retargetDisk', { hostId, vm, fromPath: volume.path, toPath: path, format }), 'storage.retarget.failed', { name: vm })),
            ).then(reload);
          }}
        />
      )}
    </>
  );
}

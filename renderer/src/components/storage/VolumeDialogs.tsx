/**
 * The dialogs of a pool's volumes: create, resize, clone, convert, wipe. Each checks its input
 * as it is typed and refuses it before anything changes, with the reason; the work itself runs
 * in main (as a task where it takes long).
 */
import { useState } from 'react';
import { storageNameProblem, VOLUME_FORMATS, WIPE_ALGORITHMS, type StorageVolume, type VolumeFormat, type WipeAlgorithm } from '../../../../preload/contract.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { FormField } from '../common/FormField.js';
import { Dialog } from '../dialogs/Dialog.js';
import { SizeInput, sizeBytes, type SizeUnit } from './SizeField.js';
import { runStorageCall } from './storageCall.js';

interface PoolContext {
  hostId: string;
  pool: string;
  availableBytes: number;
  volumes: readonly StorageVolume[];
  onChanged(): void;
  onClose(): void;
}

function DialogFooter({ onClose, okLabel, okTestId, disabled, onOk, danger }: { onClose(): void; okLabel: string; okTestId: string; disabled: boolean; onOk(): void; danger?: boolean }) {
  const t = useT();
  return (
    <>
      <button type="button" className="button" onClick={onClose}>
        {t('common.cancel')}
      </button>
      <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} data-testid={okTestId} disabled={disabled} onClick={onOk}>
        {okLabel}
      </button>
    </>
  );
}

export function VolumeCreateDialog({ hostId, pool, availableBytes, volumes, onChanged, onClose }: PoolContext) {
  const t = useT();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<'qcow2' | 'raw'>('qcow2');
  const [size, setSize] = useState('10');
  const [unit, setUnit] = useState<SizeUnit>('GiB');
  const [preallocate, setPreallocate] = useState(false);
  const [backing, setBacking] = useState('');
  const nameProblem = storageNameProblem(name, volumes.map((volume) => volume.name));
  const bytes = sizeBytes(size, unit);
  const tooBig = bytes !== undefined && bytes > availableBytes;
  // Preallocated space must fit; a sparse volume only warns (it grows as the guest writes).
  const blocked = nameProblem !== undefined || bytes === undefined || (tooBig && preallocate);
  const submit = () => {
    if (blocked || bytes === undefined) return;
    onClose();
    void runStorageCall(
      hostId,
      requireClient().call('storage.volumeCreate', { hostId, pool, spec: { name, format, capacityBytes: bytes, preallocate, ...(format === 'qcow2' && backing ? { backingVolume: backing } : {}) } }),
      'storage.volume.createFailed',
      { name },
      onChanged,
    );
  };
  return (
    <Dialog title={t('storage.volume.createTitle', { pool })} onClose={onClose} testId="volume-create-dialog" dismissOnBackdrop={false} footer={<DialogFooter onClose={onClose} okLabel={t('storage.volume.create')} okTestId="volume-create-ok" disabled={blocked} onOk={submit} />}>
      <form
        className="dialog-stack"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <FormField id="volume-name" label={t('storage.field.volumeName')} field="name" errorTestId="volume-name-error" error={nameProblem ? t(`storage.nameProblem.${nameProblem}`) : undefined}>
          <input className="input mono" data-testid="volume-name" data-autofocus value={name} maxLength={220} onChange={(event) => setName(event.target.value)} />
        </FormField>
        <FormField id="volume-format" label={t('storage.field.format')} field="format" errorTestId="volume-format-error">
          <select className="select" data-testid="volume-format" value={format} onChange={(event) => setFormat(event.target.value as 'qcow2' | 'raw')}>
            <option value="qcow2">{t('storage.format.qcow2')}</option>
            <option value="raw">{t('storage.format.raw')}</option>
          </select>
        </FormField>
        <FormField
          id="volume-size"
          label={t('storage.field.size')}
          field="size"
          errorTestId="volume-size-error"
          error={bytes === undefined ? t('storage.problem.size') : tooBig && preallocate ? t('storage.problem.preallocTooBig', { free: formatBytes(availableBytes, t.language) }) : undefined}
          hint={tooBig && !preallocate ? t('storage.problem.sparseTooBig', { free: formatBytes(availableBytes, t.language) }) : t('storage.field.free', { free: formatBytes(availableBytes, t.language) })}
        >
          <SizeInput
            value={size}
            unit={unit}
            testId="volume-size"
            onChange={(value, nextUnit) => {
              setSize(value);
              setUnit(nextUnit);
            }}
          />
        </FormField>
        <label className="checkbox-label">
          <input type="checkbox" className="checkbox" data-testid="volume-preallocate" checked={preallocate} onChange={(event) => setPreallocate(event.target.checked)} />
          {t('storage.field.preallocate')}
        </label>
        {format === 'qcow2' && (
          <FormField id="volume-backing" label={t('storage.field.backing')} field="backing" errorTestId="volume-backing-error" hint={t('storage.field.backingHint')}>
            <select className="select" data-testid="volume-backing" value={backing} onChange={(event) => setBacking(event.target.value)}>
              <option value="">{t('storage.field.noBacking')}</option>
              {volumes.map((volume) => (
                <option key={volume.name} value={volume.name}>
                  {volume.name}
                </option>
              ))}
            </select>
          </FormField>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

export function VolumeResizeDialog({ hostId, pool, volume, onChanged, onClose }: Omit<PoolContext, 'volumes' | 'availableBytes'> & { volume: StorageVolume }) {
  const t = useT();
  const [size, setSize] = useState(String(Math.ceil((volume.capacityBytes / 1024 ** 3) * 10) / 10));
  const [unit, setUnit] = useState<SizeUnit>('GiB');
  const bytes = sizeBytes(size, unit);
  const shrink = bytes !== undefined && bytes < volume.capacityBytes;
  const blocked = bytes === undefined || shrink || bytes === volume.capacityBytes;
  const submit = () => {
    if (blocked || bytes === undefined) return;
    onClose();
    void runStorageCall(hostId, requireClient().call('storage.volumeResize', { hostId, pool, volume: volume.name, capacityBytes: bytes }), 'storage.volume.resizeFailed', { name: volume.name }, onChanged);
  };
  return (
    <Dialog title={t('storage.volume.resizeTitle', { name: volume.name })} onClose={onClose} testId="volume-resize-dialog" dismissOnBackdrop={false} footer={<DialogFooter onClose={onClose} okLabel={t('storage.volume.resize')} okTestId="volume-resize-ok" disabled={blocked} onOk={submit} />}>
      <div className="dialog-stack">
        <p className="muted">{t('storage.volume.currentSize', { size: formatBytes(volume.capacityBytes, t.language) })}</p>
        <FormField
          id="resize-size"
          label={t('storage.field.newSize')}
          field="size"
          errorTestId="resize-size-error"
          error={bytes === undefined ? t('storage.problem.size') : shrink ? t(volume.format === 'qcow2' ? 'storage.problem.shrinkQcow2' : 'storage.problem.shrink') : undefined}
        >
          <SizeInput
            value={size}
            unit={unit}
            testId="resize-size"
            onChange={(value, nextUnit) => {
              setSize(value);
              setUnit(nextUnit);
            }}
          />
        </FormField>
      </div>
    </Dialog>
  );
}

/** Clone (same format) or convert (another format): a new volume next to the old one. */
export function VolumeCopyDialog({ hostId, pool, volume, volumes, mode, onChanged, onConverted, onClose }: Omit<PoolContext, 'availableBytes'> & { volume: StorageVolume; mode: 'clone' | 'convert'; onConverted?(path: string, format: VolumeFormat): void }) {
  const t = useT();
  const base = volume.name.replace(/\.(qcow2|raw|img|vmdk)$/i, '');
  const initialFormat: VolumeFormat = volume.format === 'qcow2' ? 'raw' : 'qcow2';
  const [format, setFormat] = useState<VolumeFormat>(initialFormat);
  const [name, setName] = useState(mode === 'clone' ? `${base}-copy${volume.name.slice(base.length)}` : `${base}.${initialFormat}`);
  const nameProblem = storageNameProblem(name, volumes.map((candidate) => candidate.name));
  const sameFormat = mode === 'convert' && format === volume.format;
  const blocked = nameProblem !== undefined || sameFormat;
  const submit = () => {
    if (blocked) return;
    onClose();
    if (mode === 'clone') {
      void runStorageCall(hostId, requireClient().call('storage.volumeClone', { hostId, pool, volume: volume.name, newName: name }), 'storage.volume.cloneFailed', { name: volume.name }, onChanged);
      return;
    }
    void runStorageCall(hostId, requireClient().call('storage.volumeConvert', { hostId, pool, volume: volume.name, format, newName: name }), 'storage.volume.convertFailed', { name: volume.name }, onChanged).then((result) => {
      if (result) onConverted?.(result.path, format);
    });
  };
  return (
    <Dialog
      title={t(mode === 'clone' ? 'storage.volume.cloneTitle' : 'storage.volume.convertTitle', { name: volume.name })}
      onClose={onClose}
      testId={`volume-${mode}-dialog`}
      dismissOnBackdrop={false}
      footer={<DialogFooter onClose={onClose} okLabel={t(mode === 'clone' ? 'storage.volume.clone' : 'storage.volume.convert')} okTestId={`volume-${mode}-ok`} disabled={blocked} onOk={submit} />}
    >
      <form
        className="dialog-stack"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        {mode === 'convert' && (
          <FormField id="convert-format" label={t('storage.field.targetFormat')} field="format" errorTestId="convert-format-error" error={sameFormat ? t('storage.problem.sameFormat') : undefined} hint={t('storage.volume.convertHint')}>
            <select
              className="select"
              data-testid="convert-format"
              value={format}
              onChange={(event) => {
                const next = event.target.value as VolumeFormat;
                setFormat(next);
                setName((current) => (current === `${base}.${format}` ? `${base}.${next}` : current));
              }}
            >
              {VOLUME_FORMATS.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {t(`storage.format.${candidate}`)}
                </option>
              ))}
            </select>
          </FormField>
        )}
        <FormField id="copy-name" label={t('storage.field.newVolumeName')} field="name" errorTestId="copy-name-error" error={nameProblem ? t(`storage.nameProblem.${nameProblem}`) : undefined}>
          <input className="input mono" data-testid="copy-name" data-autofocus value={name} maxLength={220} onChange={(event) => setName(event.target.value)} />
        </FormField>
        <p className="field-hint">{t('storage.transfer.taskHint')}</p>
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

export function VolumeWipeDialog({ hostId, pool, volume, onChanged, onClose }: Omit<PoolContext, 'volumes' | 'availableBytes'> & { volume: StorageVolume }) {
  const t = useT();
  const [algorithm, setAlgorithm] = useState<WipeAlgorithm>('zero');
  const submit = () => {
    onClose();
    void runStorageCall(hostId, requireClient().call('storage.volumeWipe', { hostId, pool, volume: volume.name, algorithm }), 'storage.volume.wipeFailed', { name: volume.name }, onChanged);
  };
  return (
    <Dialog title={t('storage.volume.wipeTitle', { name: volume.name })} onClose={onClose} testId="volume-wipe-dialog" size="small" footer={<DialogFooter onClose={onClose} okLabel={t('storage.volume.wipe')} okTestId="volume-wipe-ok" disabled={false} danger onOk={submit} />}>
      <div className="dialog-stack">
        <p>{t('storage.volume.wipeBody', { name: volume.name })}</p>
        <FormField id="wipe-algorithm" label={t('storage.field.algorithm')} field="algorithm" errorTestId="wipe-algorithm-error">
          <select className="select" data-testid="wipe-algorithm" value={algorithm} onChange={(event) => setAlgorithm(event.target.value as WipeAlgorithm)}>
            {WIPE_ALGORITHMS.map((candidate) => (
              <option key={candidate} value={candidate}>
                {t(`storage.wipe.${candidate}`)}
              </option>
            ))}
          </select>
        </FormField>
      </div>
    </Dialog>
  );
}

/**
 * Upload a file into a pool, or download a volume: a file picker and the new volume's name
 * (checked as typed: empty, taken, with `/`, larger than the pool's free space), then a
 * progress bar with bytes, speed, time remaining and Cancel. The work is also a task in the
 * task panel; cancelling either way leaves no partial volume on the host.
 */
import { useEffect, useRef, useState } from 'react';
import { storageNameProblem, type StorageVolume } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatBytes, percentOf } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Dialog } from '../dialogs/Dialog.js';
import { CapacityBar } from '../pools/CapacityBar.js';
import { downloadVolumeToDisk, transferRate, uploadFile, type Transfer, type TransferProgress } from './volumeTransfer.js';
import './storage.css';

interface Running {
  progress: TransferProgress;
  startedAt: number;
  transfer: Transfer;
}

function useTransferState() {
  const [running, setRunning] = useState<Running | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [finished, setFinished] = useState(false);
  return { running, setRunning, error, setError, finished, setFinished };
}

export function TransferProgressView({ running, testId }: { running: Running; testId: string }) {
  const t = useT();
  const { bytes, total } = running.progress;
  const rate = transferRate(bytes, total, Date.now() - running.startedAt);
  const percent = percentOf(bytes, total);
  return (
    <div className="transfer-progress" data-testid={testId} data-bytes={bytes} data-total={total}>
      <CapacityBar percent={percent} label={t('storage.transfer.percent', { percent })} />
      <p className="transfer-facts">
        <span>{t('storage.transfer.bytes', { done: formatBytes(bytes, t.language), total: formatBytes(total, t.language), percent })}</span>
        <span>{t('storage.transfer.speed', { speed: formatBytes(rate.bytesPerSecond, t.language) })}</span>
        <span>{rate.remainingSeconds === undefined ? t('storage.transfer.remainingUnknown') : t('storage.transfer.remaining', { seconds: String(Math.ceil(rate.remainingSeconds)) })}</span>
      </p>
    </div>
  );
}

export function UploadDialog({ hostId, pool, availableBytes, volumes, onClose }: { hostId: string; pool: string; availableBytes: number; volumes: readonly StorageVolume[]; onClose(): void }) {
  const t = useT();
  const [file, setFile] = useState<File | undefined>();
  const [name, setName] = useState('');
  const state = useTransferState();
  const [, setTick] = useState(0);
  const nameProblem = file ? storageNameProblem(name, volumes.map((volume) => volume.name)) : undefined;
  const tooBig = file !== undefined && file.size > availableBytes;
  const ready = file !== undefined && !nameProblem && !tooBig && !state.running;

  const start = () => {
    if (!ready || !file) return;
    state.setError(undefined);
    const startedAt = Date.now();
    const transfer = uploadFile(requireClient(), { hostId, pool, name }, file, (progress) => {
      state.setRunning((current) => (current ? { ...current, progress } : current));
      setTick((tick) => tick + 1);
    });
    state.setRunning({ progress: { bytes: 0, total: file.size }, startedAt, transfer });
    transfer.done.then(
      () => {
        state.setFinished(true);
        void refreshInventory(hostId);
        onClose();
      },
      (failure: unknown) => {
        state.setRunning(undefined);
        if ((failure as { code?: string }).code !== 'cancelled') state.setError(toErrorInfo(failure));
      },
    );
  };

  return (
    <Dialog
      title={t('storage.upload.title', { pool })}
      onClose={() => {
        state.running?.transfer.cancel();
        onClose();
      }}
      testId="upload-dialog"
      dismissOnBackdrop={false}
      footer={
        <>
          <button type="button" className="button" data-testid="upload-cancel" onClick={() => (state.running ? state.running.transfer.cancel() : onClose())}>
            {state.running ? t('storage.transfer.stop') : t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="upload-start" disabled={!ready} onClick={start}>
            <Icon name="download" size={14} />
            {t('storage.upload.start')}
          </button>
        </>
      }
    >
      <div className="dialog-stack">
        <FormField id="upload-file" label={t('storage.upload.file')} field="file" errorTestId="upload-file-error" error={tooBig ? t('storage.problem.tooBig', { size: formatBytes(file.size, t.language), free: formatBytes(availableBytes, t.language) }) : undefined} hint={t('storage.upload.fileHint')}>
          <input
            type="file"
            className="input"
            data-testid="upload-file"
            disabled={state.running !== undefined}
            onChange={(event) => {
              const chosen = event.target.files?.[0];
              setFile(chosen);
              if (chosen) setName(chosen.name.replace(/[/\\]/g, '_'));
            }}
          />
        </FormField>
        {file && (
          <FormField id="upload-name" label={t('storage.field.volumeName')} field="name" errorTestId="upload-name-error" error={nameProblem ? t(`storage.nameProblem.${nameProblem}`) : undefined}>
            <input className="input mono" data-testid="upload-name" value={name} maxLength={220} disabled={state.running !== undefined} onChange={(event) => setName(event.target.value)} />
          </FormField>
        )}
        {file && <p className="muted">{t('storage.upload.facts', { size: formatBytes(file.size, t.language), free: formatBytes(availableBytes, t.language) })}</p>}
        {state.running && <TransferProgressView running={state.running} testId="upload-progress" />}
        {state.error && <ErrorNotice title={t('storage.upload.failed', { name })} error={state.error} />}
        <p className="field-hint">{t('storage.transfer.taskHint')}</p>
      </div>
    </Dialog>
  );
}

export function DownloadDialog({ hostId, pool, volume, onClose }: { hostId: string; pool: string; volume: StorageVolume; onClose(): void }) {
  const t = useT();
  const state = useTransferState();
  const [, setTick] = useState(0);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // A raw volume's file is as large as its capacity; other formats' files as their allocation at most.
    const total = volume.format === 'raw' || volume.format === undefined ? volume.capacityBytes : volume.allocationBytes;
    const transfer = downloadVolumeToDisk(requireClient(), { hostId, pool, volume: volume.name }, total, (progress) => {
      state.setRunning((current) => (current ? { ...current, progress } : current));
      setTick((tick) => tick + 1);
    });
    state.setRunning({ progress: { bytes: 0, total }, startedAt: Date.now(), transfer });
    transfer.done.then(
      () => {
        state.setFinished(true);
        state.setRunning(undefined);
      },
      (failure: unknown) => {
        state.setRunning(undefined);
        if ((failure as { code?: string }).code !== 'cancelled') state.setError(toErrorInfo(failure));
        else onClose();
      },
    );
    // Once, when the dialog opens: the download is what the dialog is for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <Dialog
      title={t('storage.download.title', { name: volume.name })}
      onClose={() => {
        state.running?.transfer.cancel();
        onClose();
      }}
      testId="download-dialog"
      data={{ 'data-finished': state.finished ? 'yes' : 'no' }}
      footer={
        <button type="button" className="button" data-testid="download-close" onClick={() => (state.running ? state.running.transfer.cancel() : onClose())}>
          {state.running ? t('storage.transfer.stop') : t('common.close')}
        </button>
      }
    >
      <div className="dialog-stack">
        {state.running && <TransferProgressView running={state.running} testId="download-progress" />}
        {state.finished && <p data-testid="download-done">{t('storage.download.done', { name: volume.name })}</p>}
        {state.error && <ErrorNotice title={t('storage.download.failed', { name: volume.name })} error={state.error} />}
        <p className="field-hint">{t('storage.transfer.taskHint')}</p>
      </div>
    </Dialog>
  );
}

/**
 * The wizard's source page: an ISO on the host (pool browser or typed path), a local ISO uploaded
 * into a pool (the storage upload, with its progress and cancel), an ISO the host downloads, a
 * network-install tree, PXE (with a PXE-ready network made on the spot), an existing disk, or a
 * cloud image with a cloud-init seed.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { type InstallHostFacts, type InstallTreeInfo, type IsoInfo, type PoolVolumes, type SourceProblem, type WizardPreview } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { requireClient } from '../../store/connectionStore.js';
import { installCall } from './installClient.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { CheckboxField, FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { TransferProgressView } from '../storage/TransferDialog.js';
import { uploadFile, type Transfer, type TransferProgress } from '../storage/volumeTransfer.js';
import { uploadNameProblem, type SourceKind, type WizardForm } from './wizardModel.js';

export interface SourceFindings {
  tree?: InstallTreeInfo;
  iso?: IsoInfo;
  problem?: SourceProblem;
}

interface SourcePageProps {
  hostId: string;
  facts: InstallHostFacts;
  kinds: readonly SourceKind[];
  form: WizardForm;
  update(change: (current: WizardForm) => WizardForm): void;
  findings: SourceFindings;
  setFindings(findings: SourceFindings): void;
  onFactsChanged(): void;
  preview: WizardPreview | undefined;
}

function useVolumes(hostId: string, pool: string, generation = 0) {
  const [listing, setListing] = useState<PoolVolumes | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  useEffect(() => {
    if (!pool) return undefined;
    let live = true;
    setListing(undefined);
    requireClient()
      .call('storage.volumes', { hostId, pool })
      .then(
        (result) => live && (setListing(result), setError(undefined)),
        (failure: unknown) => live && setError(toErrorInfo(failure)),
      );
    return () => {
      live = false;
    };
  }, [hostId, pool, generation]);
  return { listing, error };
}

function PoolSelect({ id, facts, value, onChange, testId }: { id: string; facts: InstallHostFacts; value: string; onChange(pool: string): void; testId: string }) {
  const t = useT();
  const pool = facts.pools.find((candidate) => candidate.name === value);
  return (
    <FormField id={id} label={t('install.field.pool')} field="pool" errorTestId={`${testId}-error`} hint={pool ? t('install.field.poolFree', { free: formatBytes(pool.freeBytes, t.language) }) : undefined}>
      <select className="select" data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)}>
        {facts.pools
          .filter((candidate) => candidate.active)
          .map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.name}
            </option>
          ))}
      </select>
    </FormField>
  );
}

/** The volumes of a pool to pick one from (ISOs, or disk images). */
function VolumePicker({ hostId, pool, selectedPath, selectedName, onPick, only, testId }: { hostId: string; pool: string; selectedPath?: string; selectedName?: string; onPick(path: string, name: string): void; only: 'iso' | 'disk'; testId: string }) {
  const t = useT();
  const { listing, error } = useVolumes(hostId, pool);
  if (error) return <ErrorNotice title={t('install.source.volumesFailed', { pool })} error={error} />;
  if (!listing) return <Spinner size="small" />;
  const volumes = listing.volumes.filter((volume) => (only === 'iso' ? volume.format === 'iso' || /\.iso$/i.test(volume.name) : volume.format !== 'iso' && !/\.iso$/i.test(volume.name)));
  if (volumes.length === 0) return <p className="muted" data-testid={`${testId}-empty`}>{only === 'iso' ? t('install.source.noIsos', { pool }) : t('install.source.noImages', { pool })}</p>;
  return (
    <div className="wizard-volume-list" role="radiogroup" aria-label={t('install.source.volumes', { pool })} data-testid={testId}>
      {volumes.map((volume) => (
        <label key={volume.path} className="choice" data-testid={`${testId}-item`} data-name={volume.name}>
          <input type="radio" name={testId} checked={selectedPath !== undefined ? selectedPath === volume.path : selectedName === volume.name} onChange={() => onPick(volume.path, volume.name)} />
          <span className="choice-text">
            <span className="mono">{volume.name}</span>
            <span className="choice-hint">{formatBytes(volume.capacityBytes, t.language)}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

function IsoOnHost({ hostId, facts, form, update }: SourcePageProps) {
  const t = useT();
  const [pool, setPool] = useState(form.pool);
  return (
    <>
      <PoolSelect id="wizard-iso-pool" facts={facts} value={pool} onChange={setPool} testId="wizard-iso-pool" />
      <VolumePicker hostId={hostId} pool={pool} only="iso" selectedPath={form.isoPath} onPick={(path) => update((current) => ({ ...current, isoPath: path }))} testId="wizard-iso-volumes" />
      <FormField id="wizard-iso-path" label={t('install.field.isoPath')} field="isoPath" errorTestId="wizard-iso-path-error" hint={t('install.field.pathHint')}>
        <input className="input mono" data-testid="wizard-iso-path" value={form.isoPath} placeholder="/var/lib/libvirt/images/install.iso" onChange={(event) => update((current) => ({ ...current, isoPath: event.target.value }))} />
      </FormField>
    </>
  );
}

interface Running {
  progress: TransferProgress;
  startedAt: number;
  transfer: Transfer;
}

function UploadIso({ hostId, facts, form, update }: SourcePageProps) {
  const t = useT();
  const [pool, setPool] = useState(form.pool);
  const [file, setFile] = useState<File | undefined>();
  const [name, setName] = useState('');
  const [running, setRunning] = useState<Running | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [generation, setGeneration] = useState(0);
  const [, setTick] = useState(0);
  /** The volume this page uploaded last (pool and name): it is the ISO chosen, not a clash. */
  const [uploaded, setUploaded] = useState<{ pool: string; name: string } | undefined>();
  const { listing } = useVolumes(hostId, pool, generation);
  const free = facts.pools.find((candidate) => candidate.name === pool)?.freeBytes ?? 0;
  const uploadedHere = uploaded?.pool === pool ? uploaded.name : undefined;
  const isUploaded = uploadedHere !== undefined && uploadedHere === name;
  const nameProblem = file && listing ? uploadNameProblem(name, listing.volumes.map((volume) => volume.name), uploadedHere) : undefined;
  const tooBig = file !== undefined && file.size > free && !isUploaded;
  const ready = file !== undefined && listing !== undefined && !nameProblem && !tooBig && !running && !isUploaded;

  // Leaving the page (or closing the wizard) cancels a running upload; a progress update must not.
  const current = useRef<Running | undefined>(undefined);
  current.current = running;
  useEffect(() => () => current.current?.transfer.cancel(), []);

  const start = () => {
    if (!ready || !file) return;
    setError(undefined);
    const transfer = uploadFile(requireClient(), { hostId, pool, name }, file, (progress) => {
      setRunning((current) => (current ? { ...current, progress } : current));
      setTick((tick) => tick + 1);
    });
    setRunning({ progress: { bytes: 0, total: file.size }, startedAt: Date.now(), transfer });
    transfer.done.then(
      async () => {
        setRunning(undefined);
        const after = await requireClient().call('storage.volumes', { hostId, pool });
        const volume = after.volumes.find((candidate) => candidate.name === name);
        setUploaded({ pool, name });
        setGeneration((value) => value + 1);
        if (volume) update((current) => ({ ...current, isoPath: volume.path }));
      },
      (failure: unknown) => {
        setRunning(undefined);
        setGeneration((value) => value + 1);
        if ((failure as { code?: string }).code !== 'cancelled') setError(toErrorInfo(failure));
      },
    );
  };

  return (
    <>
      <div className="form-row form-row-even">
        <PoolSelect id="wizard-upload-pool" facts={facts} value={pool} onChange={setPool} testId="wizard-upload-pool" />
        <FormField
          id="wizard-upload-file"
          label={t('storage.upload.file')}
          field="file"
          errorTestId="wizard-upload-file-error"
          error={tooBig ? t('storage.problem.tooBig', { size: formatBytes(file.size, t.language), free: formatBytes(free, t.language) }) : undefined}
        >
          <input
            type="file"
            accept=".iso,application/x-iso9660-image"
            className="input"
            data-testid="wizard-upload-file"
            disabled={running !== undefined}
            onChange={(event) => {
              const chosen = event.target.files?.[0];
              setFile(chosen);
              if (chosen) setName(chosen.name.replace(/[/\\]/g, '_'));
            }}
          />
        </FormField>
      </div>
      {file && (
        <FormField id="wizard-upload-name" label={t('storage.field.volumeName')} field="name" errorTestId="wizard-upload-name-error" error={nameProblem ? t(`storage.nameProblem.${nameProblem}`) : undefined}>
          <input className="input mono" data-testid="wizard-upload-name" value={name} maxLength={220} disabled={running !== undefined} onChange={(event) => setName(event.target.value)} />
        </FormField>
      )}
      {/* data-pool-volumes: how many volumes the pool listing here holds (tests wait for its reload). */}
      <div className="wizard-inline-actions" data-testid="wizard-upload-actions" data-pool-volumes={listing?.volumes.length ?? ''}>
        {running ? (
          <button type="button" className="button" data-testid="wizard-upload-cancel" onClick={() => running.transfer.cancel()}>
            {t('storage.transfer.stop')}
          </button>
        ) : (
          <button type="button" className="button" data-testid="wizard-upload-start" disabled={!ready} onClick={start}>
            <Icon name="download" size={14} />
            {t('install.source.uploadStart')}
          </button>
        )}
      </div>
      {running && <TransferProgressView running={running} testId="wizard-upload-progress" />}
      {error && <ErrorNotice title={t('storage.upload.failed', { name })} error={error} />}
      {form.isoPath && !running && (
        <p className="wizard-found" data-testid="wizard-upload-done">
          <Icon name="check" size={14} /> {t('install.source.isoReady', { path: form.isoPath })}
        </p>
      )}
    </>
  );
}

function DownloadIso({ hostId, facts, form, update, findings, setFindings }: SourcePageProps) {
  const t = useT();
  const [pool, setPool] = useState(form.pool);
  const [url, setUrl] = useState('');
  const [name, setName] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ErrorInfo | undefined>();
  const suggested = url.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const volumeName = name || suggested;
  const start = () => {
    setRunning(true);
    setError(undefined);
    setFindings({});
    installCall('install.downloadIso', { hostId, url: url.trim(), pool, name: volumeName })
      .then(
        (result) => {
          if (result.ok) update((current) => ({ ...current, isoPath: result.path }));
          else setFindings({ problem: result.problem });
        },
        (failure: unknown) => setError(toErrorInfo(failure)),
      )
      .finally(() => setRunning(false));
  };
  return (
    <>
      <FormField id="wizard-download-url" label={t('install.field.isoUrl')} field="isoUrl" errorTestId="wizard-download-url-error" hint={t('install.field.isoUrlHint')}>
        <input className="input mono" data-testid="wizard-download-url" value={url} disabled={running} placeholder="https://cdimage.debian.org/…/debian-12-netinst.iso" onChange={(event) => setUrl(event.target.value)} />
      </FormField>
      <div className="form-row form-row-even">
        <PoolSelect id="wizard-download-pool" facts={facts} value={pool} onChange={setPool} testId="wizard-download-pool" />
        <FormField id="wizard-download-name" label={t('storage.field.volumeName')} field="name" errorTestId="wizard-download-name-error">
          <input className="input mono" data-testid="wizard-download-name" value={volumeName} disabled={running} onChange={(event) => setName(event.target.value)} />
        </FormField>
      </div>
      <div className="wizard-inline-actions">
        <button type="button" className="button" data-testid="wizard-download-start" disabled={running || url.trim() === '' || volumeName === ''} onClick={start}>
          {running ? <Spinner size="small" /> : <Icon name="download" size={14} />}
          {t('install.source.downloadStart')}
        </button>
        {running && <span className="muted">{t('install.source.downloading')}</span>}
      </div>
      {error && <ErrorNotice title={t('install.source.downloadFailed')} error={error} />}
      {form.isoPath && !running && !findings.problem && (
        <p className="wizard-found" data-testid="wizard-download-done">
          <Icon name="check" size={14} /> {t('install.source.isoReady', { path: form.isoPath })}
        </p>
      )}
    </>
  );
}

function UrlTree({ facts, form, update, findings }: SourcePageProps) {
  const t = useT();
  const xen = form.domainType === 'xen' && facts.domainTypes.some((entry) => entry.type === 'xen');
  return (
    <>
      <FormField id="wizard-url" label={t('install.field.url')} field="url" errorTestId="wizard-url-error" hint={t('install.field.urlHint')}>
        <input className="input mono" data-testid="wizard-url" data-autofocus value={form.url} placeholder="http://deb.debian.org/debian/dists/bookworm/" onChange={(event) => update((current) => ({ ...current, url: event.target.value }))} />
      </FormField>
      <FormField id="wizard-kernel-args" label={t('install.field.kernelArgs')} field="kernelArgs" errorTestId="wizard-kernel-args-error" hint={t('install.field.kernelArgsHint')}>
        <input className="input mono" data-testid="wizard-kernel-args" value={form.kernelArgs} placeholder="console=ttyS0" onChange={(event) => update((current) => ({ ...current, kernelArgs: event.target.value }))} />
      </FormField>
      {xen && <CheckboxField id="wizard-xen-pv" testId="wizard-xen-pv" label={t('install.field.xenPv')} hint={t('install.field.xenPvHint')} checked={form.xenPv} onChange={(xenPv) => update((current) => ({ ...current, xenPv }))} />}
      {findings.tree && (
        <dl className="wizard-facts" data-testid="wizard-tree-found" data-layout={findings.tree.layout}>
          <dt>{t('install.tree.layout')}</dt>
          <dd>{t(`install.layout.${findings.tree.layout}`)}</dd>
          <dt>{t('install.tree.family')}</dt>
          <dd>{[findings.tree.name ?? findings.tree.family, findings.tree.version].filter(Boolean).join(' ')}</dd>
          <dt>{t('install.tree.kernel')}</dt>
          <dd className="mono">{findings.tree.kernelUrl}</dd>
        </dl>
      )}
    </>
  );
}

function Pxe({ hostId, facts, form, update, onFactsChanged }: SourcePageProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('pxe');
  const [tftpRoot, setTftpRoot] = useState('');
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<SourceProblem | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [made, setMade] = useState<string | undefined>();
  const taken = facts.networks.some((network) => network.name === name.trim());
  const chosen = facts.networks.find((network) => network.name === form.network);
  const create = () => {
    setRunning(true);
    setProblem(undefined);
    setError(undefined);
    installCall('install.createPxeNetwork', { hostId, spec: { name: name.trim(), tftpRoot: tftpRoot.trim(), firmware: form.firmware } })
      .then(
        (result) => {
          if (!result.ok) return setProblem(result.problem);
          setMade(t('install.pxe.made', { name: result.name, bootFile: result.bootFile }));
          setOpen(false);
          update((current) => ({ ...current, networkKind: 'network', network: result.name }));
          onFactsChanged();
        },
        (failure: unknown) => setError(toErrorInfo(failure)),
      )
      .finally(() => setRunning(false));
  };
  return (
    <>
      <p className="muted">{t('install.pxe.about')}</p>
      {form.networkKind === 'network' && chosen && !chosen.pxe && (
        <div className="callout callout-warn" data-testid="wizard-pxe-warning">
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p>{t('install.pxe.cannotServe', { network: chosen.name })}</p>
          </div>
        </div>
      )}
      {made && (
        <p className="wizard-found" data-testid="wizard-pxe-made">
          <Icon name="check" size={14} /> {made}
        </p>
      )}
      {!open ? (
        <div className="wizard-inline-actions">
          <button type="button" className="button" data-testid="wizard-pxe-create-open" onClick={() => setOpen(true)}>
            <Icon name="plus" size={14} />
            {t('install.pxe.create')}
          </button>
        </div>
      ) : (
        <div className="form-section" data-testid="wizard-pxe-form">
          <div className="form-section-body">
            <div className="form-row form-row-even">
              <FormField id="wizard-pxe-name" label={t('install.pxe.name')} field="pxeName" errorTestId="wizard-pxe-name-error" error={taken ? t('install.pxe.nameTaken', { name: name.trim() }) : undefined}>
                <input className="input mono" data-testid="wizard-pxe-name" value={name} onChange={(event) => setName(event.target.value)} />
              </FormField>
              <FormField id="wizard-pxe-tftp" label={t('install.pxe.tftpRoot')} field="tftpRoot" errorTestId="wizard-pxe-tftp-error" hint={t('install.pxe.tftpHint', { firmware: t(`install.firmware.${form.firmware}`) })}>
                <input className="input mono" data-testid="wizard-pxe-tftp" value={tftpRoot} placeholder="/srv/tftp" onChange={(event) => setTftpRoot(event.target.value)} />
              </FormField>
            </div>
            <div className="wizard-inline-actions">
              <button type="button" className="button button-primary" data-testid="wizard-pxe-create" disabled={running || taken || name.trim() === '' || !tftpRoot.trim().startsWith('/')} onClick={create}>
                {running && <Spinner size="small" />}
                {t('install.pxe.createNow')}
              </button>
              <button type="button" className="button" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </button>
            </div>
            {problem && (
              <p className="field-error" role="alert" data-testid="wizard-pxe-problem">
                {t.dynamic(`install.sourceError.${problem.reason}`, problem.params)}
              </p>
            )}
            {error && <ErrorNotice title={t('install.pxe.createFailed')} error={error} />}
          </div>
        </div>
      )}
    </>
  );
}

function ImportDisk({ hostId, facts, form, update }: SourcePageProps) {
  const t = useT();
  const [pool, setPool] = useState(form.pool);
  return (
    <>
      <PoolSelect id="wizard-import-browse-pool" facts={facts} value={pool} onChange={setPool} testId="wizard-import-browse-pool" />
      <VolumePicker hostId={hostId} pool={pool} only="disk" selectedPath={form.importPath} onPick={(path) => update((current) => ({ ...current, importPath: path }))} testId="wizard-import-volumes" />
      <FormField id="wizard-import-path" label={t('install.field.importPath')} field="importPath" errorTestId="wizard-import-path-error" hint={t('install.field.importHint')}>
        <input className="input mono" data-testid="wizard-import-path" value={form.importPath} placeholder="/var/lib/libvirt/images/disk.qcow2" onChange={(event) => update((current) => ({ ...current, importPath: event.target.value }))} />
      </FormField>
      <CheckboxField id="wizard-import-convert" testId="wizard-import-convert" label={t('install.field.convert')} hint={t('install.field.convertHint')} checked={form.importConvert} onChange={(importConvert) => update((current) => ({ ...current, importConvert }))} />
      {form.importConvert && (
        <div className="form-row form-row-even">
          <PoolSelect id="wizard-import-pool" facts={facts} value={form.importPool} onChange={(importPool) => update((current) => ({ ...current, importPool }))} testId="wizard-import-pool" />
          <FormField id="wizard-import-format" label={t('install.field.format')} field="importFormat" errorTestId="wizard-import-format-error">
            <select className="select" data-testid="wizard-import-format" value={form.importFormat} onChange={(event) => update((current) => ({ ...current, importFormat: event.target.value as 'qcow2' | 'raw' }))}>
              <option value="qcow2">qcow2</option>
              <option value="raw">raw</option>
            </select>
          </FormField>
        </div>
      )}
    </>
  );
}

function CloudImage({ hostId, facts, form, update }: SourcePageProps) {
  const t = useT();
  return (
    <>
      <PoolSelect id="wizard-cloud-pool" facts={facts} value={form.cloudPool} onChange={(cloudPool) => update((current) => ({ ...current, cloudPool, cloudVolume: '' }))} testId="wizard-cloud-pool" />
      <VolumePicker hostId={hostId} pool={form.cloudPool} only="disk" selectedName={form.cloudVolume} onPick={(_path, name) => update((current) => ({ ...current, cloudVolume: name }))} testId="wizard-cloud-volumes" />
      {form.cloudVolume && <p className="muted">{t('install.cloud.base', { volume: form.cloudVolume })}</p>}
      <div className="form-row form-row-even">
        <FormField id="wizard-cloud-hostname" label={t('install.cloud.hostname')} field="hostname" errorTestId="wizard-cloud-hostname-error" hint={t('install.cloud.hostnameHint')}>
          <input className="input mono" data-testid="wizard-cloud-hostname" value={form.cloudHostname} maxLength={63} onChange={(event) => update((current) => ({ ...current, cloudHostname: event.target.value }))} />
        </FormField>
        <FormField id="wizard-cloud-user" label={t('install.cloud.user')} field="user" errorTestId="wizard-cloud-user-error">
          <input className="input mono" data-testid="wizard-cloud-user" value={form.cloudUser} maxLength={32} onChange={(event) => update((current) => ({ ...current, cloudUser: event.target.value }))} />
        </FormField>
      </div>
      <FormField id="wizard-cloud-password" label={t('install.cloud.password')} field="password" errorTestId="wizard-cloud-password-error" hint={t('install.cloud.passwordHint')}>
        <input className="input" type="password" autoComplete="new-password" data-testid="wizard-cloud-password" value={form.cloudPassword} onChange={(event) => update((current) => ({ ...current, cloudPassword: event.target.value }))} />
      </FormField>
      <FormField id="wizard-cloud-keys" label={t('install.cloud.keys')} field="sshKeys" errorTestId="wizard-cloud-keys-error" hint={t('install.cloud.keysHint')}>
        <textarea className="input mono" rows={3} data-testid="wizard-cloud-keys" value={form.cloudKeys} placeholder="ssh-ed25519 AAAA… user@host" onChange={(event) => update((current) => ({ ...current, cloudKeys: event.target.value }))} />
      </FormField>
    </>
  );
}

const VIEWS: Record<SourceKind, (props: SourcePageProps) => ReactElement> = {
  iso: IsoOnHost,
  upload: UploadIso,
  download: DownloadIso,
  url: UrlTree,
  pxe: Pxe,
  import: ImportDisk,
  cloud: CloudImage,
};

export function SourcePage(props: SourcePageProps) {
  const t = useT();
  const { form, kinds, update, findings, setFindings } = props;
  const View = VIEWS[form.sourceKind];
  return (
    <div className="dialog-stack">
      <fieldset className="choice-list wizard-source-kinds" data-testid="wizard-source-kinds">
        <legend>{t('install.field.source')}</legend>
        {kinds.map((kind) => (
          <label key={kind} className="choice" data-testid={`wizard-source-${kind}`}>
            <input
              type="radio"
              name="wizard-source"
              checked={form.sourceKind === kind}
              onChange={() => {
                setFindings({});
                update((current) => ({ ...current, sourceKind: kind, isoPath: kind === current.sourceKind ? current.isoPath : '' }));
              }}
            />
            <span className="choice-text">
              <span>{t(`install.source.${kind}`)}</span>
              <span className="choice-hint">{t(`install.sourceHint.${kind}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="wizard-source-body" data-testid="wizard-source-body" data-kind={form.sourceKind}>
        <View {...props} />
      </div>
      {findings.problem && (
        <p className="field-error" role="alert" data-testid="wizard-source-problem" data-reason={findings.problem.reason}>
          {t.dynamic(`install.sourceError.${findings.problem.reason}`, findings.problem.params)}
        </p>
      )}
      {findings.iso && (
        <p className="wizard-found" data-testid="wizard-iso-found">
          <Icon name="check" size={14} /> {t('install.source.isoFound', { path: findings.iso.path, size: formatBytes(findings.iso.sizeBytes, t.language) })}
        </p>
      )}
    </div>
  );
}

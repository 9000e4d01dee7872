/**
 * The Disks part of the settings form: per disk its cache and I/O modes (each explained), its
 * bus (with the guest-driver caveat, and "virtio is faster" for a Linux guest on IDE/SATA), a
 * CD-ROM's media, and removing it (detach; the file is deleted only when ticked and no other VM
 * uses it); then adding a disk: a pool volume, a file on the host, or a CD-ROM drive. Whether a
 * change reaches the running guest depends on the bus (virtio and SCSI hot-plug).
 */
import { useState } from 'react';
import { DISK_BUSES, diskBusHotplugs, isLinuxOsId, nextDiskTarget, type DiskBus, type NewDiskSource, type VmSettings } from '../../../../../preload/contract.js';
import type { Translator } from '../../../i18n/translate.js';
import { useT } from '../../../i18n/useT.js';
import { CheckboxField, FormField } from '../../common/FormField.js';
import { OptionsSelect, problemText, SettingsLabel } from './settingsFields.js';
import type { SettingsPartProps } from './settingsFields.js';
import type { DiskDraft, DraftProblem } from './settingsDraft.js';

type Props = SettingsPartProps;

const CACHE_MODES = ['', 'none', 'writethrough', 'writeback', 'directsync', 'unsafe'] as const;
const IO_MODES = ['', 'native', 'threads', 'io_uring'] as const;

function cacheKey(mode: string): 'default' | 'none' | 'writethrough' | 'writeback' | 'directsync' | 'unsafe' {
  return mode === 'none' || mode === 'writethrough' || mode === 'writeback' || mode === 'directsync' || mode === 'unsafe' ? mode : 'default';
}

function ioKey(mode: string): 'default' | 'native' | 'threads' | 'io_uring' {
  return mode === 'native' || mode === 'threads' || mode === 'io_uring' ? mode : 'default';
}

const modeOptions = (modes: readonly string[], t: Translator) => modes.map((mode) => ({ value: mode, label: mode === '' ? t('vmSettings.defaultMode') : mode }));
const busOptions = (current: string) => [...(current !== '' && !(DISK_BUSES as readonly string[]).includes(current) ? [current] : []), ...DISK_BUSES].map((bus) => ({ value: bus, label: bus }));

export function DiskSettings({ settings, draft, disabled, problems, edit }: Props) {
  const t = useT();
  const linux = isLinuxOsId(settings.fields.osId);
  const problemFor = (field: DraftProblem['field'], target: string) => problems.find((candidate) => candidate.field === field && candidate.params?.target === target);
  const textOf = (problem: DraftProblem | undefined) => (problem ? problemText(problem, t) : undefined);
  return (
    <div className="form-section" data-testid="settings-disks">
      <h2 className="form-section-title">{t('vmSettings.disks')}</h2>
      <div className="form-section-body">
        {settings.fields.disks.map((disk) => {
          const edited: DiskDraft = draft.disks[disk.target] ?? { cache: disk.cache, io: disk.io, bus: disk.bus, remove: false, deleteFile: false };
          const setDisk = (patch: Partial<DiskDraft>) => edit({ disks: { ...draft.disks, [disk.target]: { ...edited, ...patch } } });
          const liveDisk = settings.live?.disks[disk.target];
          const hotplugs = liveDisk ? diskBusHotplugs(liveDisk.bus, liveDisk.device) : true;
          return (
            <div key={disk.target} className={`disk-settings${edited.remove ? ' disk-settings-removed' : ''}`} data-testid={`disk-${disk.target}`}>
              <p className="disk-title">
                <span className="mono">{disk.target}</span> · {t(disk.device === 'cdrom' ? 'vmSettings.diskKind.cdrom' : 'vmSettings.diskKind.disk')}
                {disk.bus && ` · ${disk.bus}`}
                {disk.format && ` · ${disk.format}`}
                <span className="mono muted disk-source">{disk.source || t('vmSettings.diskEmpty')}</span>
              </p>
              {!edited.remove && (
                <>
                  <div className="form-row form-row-even">
                    <FormField id={`vm-settings-cache-${disk.target}`} field="disk" errorTestId={`settings-error-disk-${disk.target}`} label={<SettingsLabel text={t('vmSettings.cacheMode')} field="disk" settings={settings} />} hint={t(`vmSettings.cache.${cacheKey(edited.cache)}`)} error={textOf(problemFor('disk', disk.target))}>
                      <OptionsSelect testId={`disk-${disk.target}-cache`} value={edited.cache} options={modeOptions(CACHE_MODES, t)} disabled={disabled} onChange={(cache) => setDisk({ cache })} />
                    </FormField>
                    <FormField id={`vm-settings-io-${disk.target}`} field="disk-io" errorTestId={`settings-error-disk-io-${disk.target}`} label={t('vmSettings.ioMode')} hint={t(`vmSettings.io.${ioKey(edited.io)}`)}>
                      <OptionsSelect testId={`disk-${disk.target}-io`} value={edited.io} options={modeOptions(IO_MODES, t)} disabled={disabled} onChange={(io) => setDisk({ io })} />
                    </FormField>
                  </div>
                  <div className="form-row form-row-even">
                    <FormField
                      id={`vm-settings-bus-${disk.target}`}
                      field="diskBus"
                      errorTestId={`settings-error-diskBus-${disk.target}`}
                      label={<SettingsLabel text={t('vmSettings.diskBus')} field="diskBus" settings={settings} />}
                      hint={edited.bus !== disk.bus ? t('vmSettings.diskBusHint') : linux && disk.device === 'disk' && (disk.bus === 'ide' || disk.bus === 'sata') ? t('vmSettings.diskVirtioAdvice') : undefined}
                      error={textOf(problemFor('diskBus', disk.target))}
                    >
                      <OptionsSelect testId={`disk-${disk.target}-bus`} value={edited.bus} options={busOptions(disk.bus)} disabled={disabled} onChange={(bus) => setDisk({ bus })} />
                    </FormField>
                  </div>
                  {disk.device === 'cdrom' && (
                    <CdromMedia target={disk.target} value={draft.media[disk.target] ?? disk.source} disabled={disabled} settings={settings} problem={problemFor('cdrom', disk.target)} onChange={(path) => edit({ media: { ...draft.media, [disk.target]: path } })} />
                  )}
                </>
              )}
              <div className="settings-label-row">
                <CheckboxField id={`vm-settings-disk-remove-${disk.target}`} label={t('vmSettings.diskRemove')} checked={edited.remove} disabled={disabled} testId={`disk-${disk.target}-remove`} onChange={(remove) => setDisk({ remove, deleteFile: false })} />
                <SettingsLabel text="" field="diskRemove" settings={settings} live={hotplugs} />
              </div>
              {edited.remove && disk.device === 'disk' && disk.source !== '' && (
                <CheckboxField
                  id={`vm-settings-disk-delete-${disk.target}`}
                  label={t('vmSettings.diskDeleteFile')}
                  hint={disk.usedBy.length > 0 ? t('vmSettings.diskUsedBy', { vms: disk.usedBy.join(', ') }) : disk.source}
                  checked={edited.deleteFile}
                  disabled={disabled || disk.usedBy.length > 0}
                  testId={`disk-${disk.target}-delete`}
                  onChange={(deleteFile) => setDisk({ deleteFile })}
                />
              )}
              {textOf(problemFor('diskRemove', disk.target)) && (
                <p className="field-error" data-testid={`settings-error-diskRemove-${disk.target}`} role="alert">
                  {textOf(problemFor('diskRemove', disk.target))}
                </p>
              )}
            </div>
          );
        })}
        {draft.diskAdds.map((added, index) => (
          <div key={added.target} className="disk-settings disk-settings-new" data-testid={`disk-new-${added.target}`}>
            <p className="disk-title">
              <span className="applies-mark applies-mark-now">{t('vmSettings.newDisk')}</span> <span className="mono">{added.target}</span> · {added.bus}
              <span className="mono muted disk-source">{newDiskSourceText(added.source, t)}</span>
              <SettingsLabel text="" field="diskAdd" settings={settings} live={diskBusHotplugs(added.bus, added.source.kind === 'cdrom' ? 'cdrom' : 'disk')} />
            </p>
            {textOf(problemFor('diskAdd', added.target)) && (
              <p className="field-error" data-testid={`settings-error-diskAdd-${added.target}`} role="alert">
                {textOf(problemFor('diskAdd', added.target))}
              </p>
            )}
            <button type="button" className="button button-small" data-testid={`disk-new-${added.target}-drop`} disabled={disabled} onClick={() => edit({ diskAdds: draft.diskAdds.filter((_, other) => other !== index) })}>
              {t('vmSettings.dontAdd')}
            </button>
          </div>
        ))}
        <DiskAddForm settings={settings} draft={draft} disabled={disabled} edit={edit} />
        <details className="cache-help" data-testid="cache-help">
          <summary>{t('vmSettings.cacheHelp')}</summary>
          <ul>
            {CACHE_MODES.filter((mode) => mode !== '').map((mode) => (
              <li key={mode}>
                <span className="mono">{mode}</span> — {t(`vmSettings.cache.${cacheKey(mode)}`)}
              </li>
            ))}
          </ul>
        </details>
      </div>
    </div>
  );
}

function newDiskSourceText(source: NewDiskSource, t: Translator): string {
  if (source.kind === 'volume') return `${source.pool}/${source.volume}`;
  return source.path || t('vmSettings.diskEmpty');
}

type AddKind = NewDiskSource['kind'];

/** Adding a disk: what it reads, on which bus; its target is the bus's next free name. */
function DiskAddForm({ settings, draft, disabled, edit }: Omit<Props, 'problems'>) {
  const t = useT();
  const [kind, setKind] = useState<AddKind>('volume');
  const [volume, setVolume] = useState('');
  const [path, setPath] = useState('');
  const [bus, setBus] = useState<DiskBus>('virtio');
  const volumes = settings.limits.volumes;
  const taken = [...settings.fields.disks.map((disk) => disk.target), ...draft.diskAdds.map((added) => added.target)];
  const target = nextDiskTarget(bus, taken);
  const chosenVolume = volumes.find((candidate) => `${candidate.pool}/${candidate.name}` === volume);
  const source: NewDiskSource | undefined =
    kind === 'volume' ? (chosenVolume ? { kind, pool: chosenVolume.pool, volume: chosenVolume.name } : undefined) : kind === 'file' ? (path.trim() === '' ? undefined : { kind, path: path.trim() }) : { kind, path: path.trim() };
  const add = () => {
    if (!source) return;
    edit({ diskAdds: [...draft.diskAdds, { target, bus, source }] });
    setVolume('');
    setPath('');
  };
  return (
    <div className="disk-add" data-testid="disk-add">
      <p className="section-title">{t('vmSettings.diskAdd')}</p>
      <div className="form-row form-row-even">
        <FormField id="vm-settings-disk-add-kind" field="diskAdd" errorTestId="settings-error-disk-add-kind" label={t('vmSettings.diskAddKind')}>
          <OptionsSelect
            testId="disk-add-kind"
            value={kind}
            options={(['volume', 'file', 'cdrom'] as const).map((value) => ({ value, label: t(`vmSettings.diskAddKind.${value}`) }))}
            disabled={disabled}
            onChange={(value) => {
              setKind(value === 'file' || value === 'cdrom' ? value : 'volume');
              if (value === 'cdrom' && bus === 'virtio') setBus('sata');
            }}
          />
        </FormField>
        <FormField id="vm-settings-disk-add-bus" field="diskAdd" errorTestId="settings-error-disk-add-bus" label={t('vmSettings.diskBus')} hint={t('vmSettings.diskAddTarget', { target })}>
          <OptionsSelect testId="disk-add-bus" value={bus} options={DISK_BUSES.filter((candidate) => kind !== 'cdrom' || candidate !== 'virtio').map((value) => ({ value, label: value }))} disabled={disabled} onChange={(value) => setBus(DISK_BUSES.find((candidate) => candidate === value) ?? 'virtio')} />
        </FormField>
      </div>
      {kind === 'volume' ? (
        <FormField id="vm-settings-disk-add-volume" field="diskAdd" errorTestId="settings-error-disk-add-volume" label={t('vmSettings.diskAddVolume')} hint={volumes.length === 0 ? t('vmSettings.diskAddNoVolumes') : undefined}>
          <OptionsSelect
            testId="disk-add-volume"
            value={volume}
            options={[
              { value: '', label: '—' },
              ...volumes.map((candidate) => {
                const name = `${candidate.pool}/${candidate.name}`;
                return candidate.usedBy.length > 0 ? { value: name, label: t('vmSettings.volumeInUse', { volume: name, vms: candidate.usedBy.join(', ') }), disabled: true } : { value: name, label: name };
              }),
            ]}
            disabled={disabled || volumes.length === 0}
            onChange={setVolume}
          />
        </FormField>
      ) : (
        <FormField id="vm-settings-disk-add-path" field="diskAdd" errorTestId="settings-error-disk-add-path" label={t(kind === 'file' ? 'vmSettings.diskAddPath' : 'vmSettings.diskAddImage')}>
          <input className="input mono" data-testid="disk-add-path" value={path} disabled={disabled} onChange={(event) => setPath(event.target.value)} />
        </FormField>
      )}
      <button type="button" className="button" data-testid="disk-add-button" disabled={disabled || !source} onClick={add}>
        {t('vmSettings.addToPending')}
      </button>
    </div>
  );
}

/** A CD-ROM's media: the image's path on the host, and Eject. */
function CdromMedia({ target, value, disabled, settings, problem, onChange }: { target: string; value: string; disabled: boolean; settings: VmSettings; problem: DraftProblem | undefined; onChange: (path: string) => void }) {
  const t = useT();
  return (
    <div className="cdrom-media">
      <FormField
        id={`vm-settings-media-${target}`}
        field="cdrom"
        errorTestId={`settings-error-cdrom-${target}`}
        label={<SettingsLabel text={t('vmSettings.cdromMedia')} field="cdrom" settings={settings} />}
        hint={t('vmSettings.cdromMediaHint')}
        error={problem ? problemText(problem, t) : undefined}
      >
        <input className="input mono" data-testid={`cdrom-${target}-source`} value={value} placeholder={t('vmSettings.diskEmpty')} disabled={disabled} onChange={(event) => onChange(event.target.value)} />
      </FormField>
      <button type="button" className="button cdrom-eject" data-testid={`cdrom-${target}-eject`} disabled={disabled || value.trim() === ''} onClick={() => onChange('')}>
        {t('vmSettings.cdromEject')}
      </button>
    </div>
  );
}

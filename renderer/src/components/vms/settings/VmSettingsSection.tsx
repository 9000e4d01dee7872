/**
 * The VM tab's Settings section: a form over the persistent definition (and the running guest
 * where libvirt allows), a mark per field saying whether a change reaches the running guest now
 * or at its next start, and the list of pending changes before Apply. Bad input is refused here
 * with the reason, before anything is sent; main checks it again.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HostPathKind, VmSettings, VmSettingsChange, VmSettingsField } from '../../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../../errors/errorInfo.js';
import { formatMemoryKiB } from '../../../format/formatBytes.js';
import type { MessageKey, Translator } from '../../../i18n/translate.js';
import { useT } from '../../../i18n/useT.js';
import { nodeKey } from '../../../navigation/nodeRef.js';
import { requireClient } from '../../../store/connectionStore.js';
import { useUiStore } from '../../../store/uiStore.js';
import { ErrorNotice } from '../../common/ErrorNotice.js';
import { CheckboxField, FormField } from '../../common/FormField.js';
import { Icon } from '../../common/Icon.js';
import { Spinner } from '../../common/Spinner.js';
import type { VmSectionProps } from '../vmSections.js';
import { DiskSettings } from './DiskSettings.js';
import { NicSettings, nicSourceText } from './NicSettings.js';
import { PinningSettings } from './PinningSettings.js';
import { appliesNow, changeKey, draftChanges, draftFrom, moveBootDevice, type DraftProblem, type SettingsDraft } from './settingsDraft.js';
import { AppliesMark, problemText, SettingsLabel } from './settingsFields.js';
import '../../common/forms.css';
import './vmSettings.css';

type Notice = { kind: 'applied' } | { kind: 'changed-on-host' } | { kind: 'failed'; error: ErrorInfo };

const CPU_MODES = ['host-passthrough', 'host-model', 'custom'] as const;

function cpuModeHintKey(mode: string): MessageKey {
  switch (mode) {
    case 'host-passthrough':
      return 'vmSettings.cpuModeHint.host-passthrough';
    case 'host-model':
      return 'vmSettings.cpuModeHint.host-model';
    case 'custom':
      return 'vmSettings.cpuModeHint.custom';
    default:
      return 'vmSettings.cpuModeHint.default';
  }
}

function cpuModeLabel(mode: string, t: Translator): string {
  switch (mode) {
    case '':
      return t('vmSettings.cpuMode.default');
    case 'host-passthrough':
    case 'host-model':
    case 'custom':
      return t(`vmSettings.cpuMode.${mode}`);
    default:
      return mode;
  }
}

const ON_MAXIMUM = new Set(['vcpus-above-limit', 'vcpus-topology', 'memory-above-host']);

function inputOf(problem: DraftProblem): VmSettingsField | 'vcpus-max' | 'memory-max' {
  if (!ON_MAXIMUM.has(problem.code)) return problem.field;
  return problem.field === 'vcpus' ? 'vcpus-max' : 'memory-max';
}

function describeChange(change: VmSettingsChange, settings: VmSettings, t: Translator): string {
  const { fields } = settings;
  const quoted = (value: string) => (value === '' ? t('vmSettings.empty') : `“${value}”`);
  switch (change.field) {
    case 'name':
      return t('vmSettings.change.name', { from: fields.name, to: change.value });
    case 'title':
      return t('vmSettings.change.title', { from: quoted(fields.title), to: quoted(change.value) });
    case 'description':
      return t('vmSettings.change.description');
    case 'vcpus':
      return t('vmSettings.change.vcpus', { fromCurrent: fields.vcpus.current, fromMax: fields.vcpus.max, toCurrent: change.current, toMax: change.max });
    case 'memory':
      return t('vmSettings.change.memory', {
        fromCurrent: formatMemoryKiB(fields.memory.currentKiB, t.language),
        fromMax: formatMemoryKiB(fields.memory.maxKiB, t.language),
        toCurrent: formatMemoryKiB(change.currentKiB, t.language),
        toMax: formatMemoryKiB(change.maxKiB, t.language),
      });
    case 'cpuTopology':
      return t('vmSettings.change.topology', { sockets: change.sockets, cores: change.cores, threads: change.threads });
    case 'cpuMode':
      return t('vmSettings.change.cpuMode', { mode: change.mode === 'custom' ? (change.model ?? '') : t(`vmSettings.cpuMode.${change.mode}`) });
    case 'disk':
      return t('vmSettings.change.disk', {
        target: change.target,
        cache: change.cache === '' ? t('vmSettings.defaultMode') : change.cache,
        io: change.io === '' ? t('vmSettings.defaultMode') : change.io,
      });
    case 'nic':
      return t('vmSettings.change.nic', { mac: change.mac, model: change.model, newMac: change.newMac });
    case 'nicLink':
      return t(change.link === 'up' ? 'vmSettings.change.linkUp' : 'vmSettings.change.linkDown', { mac: change.mac });
    case 'vnc': {
      const password = change.password === undefined ? '' : change.password === '' ? t('vmSettings.change.vncPasswordRemoved') : t('vmSettings.change.vncPasswordSet');
      return t(fields.vnc ? 'vmSettings.change.vnc' : 'vmSettings.change.vncAdd', { listen: change.listen, password });
    }
    case 'serialConsole':
      return t('vmSettings.change.serialConsole');
    case 'domainType':
      return t('vmSettings.change.domainType', { type: change.value });
    case 'firmware':
      return t('vmSettings.change.firmware', { firmware: t(`vmSettings.firmware.${change.value}`) });
    case 'cdrom':
      return change.source === '' ? t('vmSettings.change.cdromEject', { target: change.target }) : t('vmSettings.change.cdromInsert', { target: change.target, path: change.source });
    case 'pinning': {
      const pins = [
        ...Object.entries(change.vcpus).map(([vcpu, cpus]) => t('vmSettings.change.pinVcpu', { vcpu, cpus })),
        ...(change.emulator ? [t('vmSettings.change.pinEmulator', { cpus: change.emulator })] : []),
      ];
      return t('vmSettings.change.pinning', { pins: pins.join(', ') || t('vmSettings.change.pinNone') });
    }
    case 'diskBus':
      return t('vmSettings.change.diskBus', { target: change.target, bus: change.bus });
    case 'diskAdd':
      if (change.source.kind === 'cdrom') return t('vmSettings.change.diskAddCdrom', { target: change.target, bus: change.bus });
      return t('vmSettings.change.diskAdd', { target: change.target, bus: change.bus, what: change.source.kind === 'volume' ? `${change.source.pool}/${change.source.volume}` : change.source.path });
    case 'diskRemove': {
      const source = fields.disks.find((disk) => disk.target === change.target)?.source ?? '';
      return t(change.deleteFile ? 'vmSettings.change.diskRemoveDelete' : 'vmSettings.change.diskRemove', { target: change.target, path: source });
    }
    case 'nicSource':
      return t('vmSettings.change.nicSource', { mac: change.mac, source: nicSourceText(change.source, t) });
    case 'nicAdd':
      return t('vmSettings.change.nicAdd', { mac: change.mac, model: change.model, source: nicSourceText(change.source, t) });
    case 'nicRemove':
      return t('vmSettings.change.nicRemove', { mac: change.mac });
    case 'hugepages':
      return t(change.value ? 'vmSettings.change.hugepagesOn' : 'vmSettings.change.hugepagesOff');
    case 'boot':
      return t('vmSettings.change.boot', {
        order: change.devices.map((dev) => t(`vmSettings.bootDevice.${dev}`)).join(' → ') || t('vmSettings.empty'),
        menu: t(change.menu ? 'vmSettings.bootMenuOn' : 'vmSettings.bootMenuOff'),
      });
  }
}

/**
 * The VNC display (listen address, password) and the serial console. The password the guest
 * has is never read into the form: only whether there is one; what the user types is hidden
 * unless they ask to see it.
 */
function GraphicsSettings({ settings, draft, disabled, problems, edit }: { settings: VmSettings; draft: SettingsDraft; disabled: boolean; problems: readonly DraftProblem[]; edit: (patch: Partial<SettingsDraft>) => void }) {
  const t = useT();
  const textOf = (problem: DraftProblem | undefined) => (problem ? problemText(problem, t) : undefined);
  const listenError = textOf(problems.find((problem) => problem.code === 'vnc-listen-invalid'));
  const passwordError = textOf(problems.find((problem) => problem.code === 'vnc-password-too-long' || problem.code === 'vnc-password-chars'));
  const serialError = textOf(problems.find((problem) => problem.field === 'serialConsole'));
  const [showPassword, setShowPassword] = useState(false);
  const { vnc } = settings.fields;
  const setVnc = (patch: Partial<SettingsDraft['vnc']>) => edit({ vnc: { ...draft.vnc, ...patch } });
  const editing = vnc !== undefined || draft.vnc.add;
  return (
    <div className="form-section" data-testid="settings-graphics">
      <h2 className="form-section-title">
        <SettingsLabel text={t('vmSettings.graphics')} field="vnc" settings={settings} />
      </h2>
      <div className="form-section-body">
        {vnc ? (
          <p className="field-hint" data-testid="settings-vnc-state">
            {t(vnc.hasPassword ? 'vmSettings.vncHasPassword' : 'vmSettings.vncNoPassword')}
          </p>
        ) : (
          <CheckboxField id="vm-settings-vnc-add" label={t('vmSettings.vncAdd')} hint={t('vmSettings.vncAddHint')} checked={draft.vnc.add} disabled={disabled} testId="settings-vnc-add" onChange={(add) => setVnc({ add })} />
        )}
        {editing && (
          <>
            <div className="form-row form-row-even">
              <FormField id="vm-settings-vnc-listen" field="vnc" errorTestId="settings-error-vnc" label={t('vmSettings.vncListen')} hint={t('vmSettings.vncListenHint')} error={listenError}>
                <input className="input mono" data-testid="settings-vnc-listen" value={draft.vnc.listen} disabled={disabled} onChange={(event) => setVnc({ listen: event.target.value })} />
              </FormField>
              <FormField id="vm-settings-vnc-password" field="vnc-password" errorTestId="settings-error-vnc-password" error={passwordError} label={t(vnc?.hasPassword ? 'vmSettings.vncNewPassword' : 'vmSettings.vncPassword')} hint={t('vmSettings.vncPasswordHint')}>
                <input
                  className="input mono"
                  type={showPassword ? 'text' : 'password'}
                  autoComplete="new-password"
                  data-testid="settings-vnc-password"
                  value={draft.vnc.password}
                  disabled={disabled || draft.vnc.removePassword}
                  onChange={(event) => setVnc({ password: event.target.value })}
                />
              </FormField>
            </div>
            <div className="settings-label-row">
              <CheckboxField id="vm-settings-vnc-show" label={t('vmSettings.vncShowPassword')} checked={showPassword} disabled={disabled} testId="settings-vnc-show" onChange={setShowPassword} />
              {vnc?.hasPassword && (
                <CheckboxField id="vm-settings-vnc-remove" label={t('vmSettings.vncRemovePassword')} checked={draft.vnc.removePassword} disabled={disabled} testId="settings-vnc-remove" onChange={(removePassword) => setVnc({ removePassword, password: '' })} />
              )}
            </div>
          </>
        )}
        <div className="settings-label-row">
          {settings.fields.serialConsole ? (
            <p className="field-hint" data-testid="settings-serial-present">
              {t('vmSettings.serialPresent')}
            </p>
          ) : (
            <>
              <CheckboxField id="vm-settings-serial-add" label={t('vmSettings.serialAdd')} hint={t('vmSettings.serialAddHint')} checked={draft.addSerialConsole} disabled={disabled} testId="settings-serial-add" onChange={(addSerialConsole) => edit({ addSerialConsole })} />
              <AppliesMark field="serialConsole" settings={settings} />
            </>
          )}
        </div>
        {serialError && (
          <p className="field-error" data-testid="settings-error-serial" role="alert">
            {serialError}
          </p>
        )}
      </div>
    </div>
  );
}

interface AmountInput {
  label: string;
  value: string;
  hint?: string | undefined;
  error: string | undefined;
  onChange: (value: string) => void;
}

/**
 * A "now / at most" pair (vCPUs, memory): the current amount may reach a running guest, the
 * maximum only its next start. Test ids: settings-<field>-current / -max, errors likewise.
 */
function CurrentAndMaximum({ field, settings, inputMode, current, maximum, disabled }: { field: 'vcpus' | 'memory'; settings: VmSettings; inputMode: 'numeric' | 'decimal'; current: AmountInput; maximum: AmountInput; disabled: boolean }) {
  return (
    <div className="form-row form-row-even">
      {([['current', current], ['max', maximum]] as const).map(([part, input]) => (
        <FormField
          key={part}
          id={`vm-settings-${field}-${part}`}
          field={part === 'current' ? field : `${field}-max`}
          errorTestId={part === 'current' ? `settings-error-${field}` : `settings-error-${field}-max`}
          label={part === 'current' ? <SettingsLabel text={input.label} field={field} settings={settings} /> : <SettingsLabel text={input.label} field={field} settings={settings} live={false} testId={`applies-${field}-max`} />}
          hint={input.hint}
          error={input.error}
        >
          <input className="input" inputMode={inputMode} data-testid={`settings-${field}-${part}`} value={input.value} disabled={disabled} onChange={(event) => input.onChange(event.target.value)} />
        </FormField>
      ))}
    </div>
  );
}

export function VmSettingsSection({ hostId, vm, hostConnected }: VmSectionProps) {
  const t = useT();
  const [settings, setSettings] = useState<VmSettings | undefined>();
  const [loadError, setLoadError] = useState<ErrorInfo | undefined>();
  const [draft, setDraft] = useState<SettingsDraft | undefined>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | undefined>();

  /** The revision the draft was made on: a read of the same definition keeps what was typed. */
  const draftRevision = useRef<string | undefined>(undefined);
  const load = useCallback(async (options: { discard?: boolean } = {}) => {
    setLoadError(undefined);
    try {
      const read = await requireClient().call('vm.settings.read', { hostId, name: vm.name });
      setSettings(read);
      const keep = !options.discard && draftRevision.current === read.revision;
      draftRevision.current = read.revision;
      setDraft((previous) => (keep && previous ? previous : draftFrom(read)));
    } catch (error) {
      setLoadError(toErrorInfo(error));
    }
  }, [hostId, vm.name]);

  // Read again when the VM starts or stops: what applies live changes with it.
  useEffect(() => {
    if (hostConnected) void load();
  }, [hostConnected, load, vm.state]);

  // What each CD-ROM image path typed is on the host, asked once the user stops typing.
  const [hostPaths, setHostPaths] = useState<Record<string, HostPathKind>>({});
  const unchecked = useMemo(
    () =>
      [...new Set([...Object.values(draft?.media ?? {}), ...(draft?.diskAdds ?? []).map((added) => (added.source.kind === 'volume' ? '' : added.source.path))].map((path) => path.trim()))].filter(
        (path) => path.startsWith('/') && !(path in hostPaths) && !settings?.fields.disks.some((disk) => disk.source === path),
      ),
    [draft?.media, draft?.diskAdds, hostPaths, settings],
  );
  useEffect(() => {
    if (unchecked.length === 0 || !hostConnected) return;
    let stale = false;
    const timer = setTimeout(() => {
      for (const path of unchecked) {
        requireClient()
          .call('vm.settings.hostPath', { hostId, path })
          .then(({ kind }) => {
            if (!stale) setHostPaths((known) => ({ ...known, [path]: kind }));
          })
          .catch((error: unknown) => {
            if (!stale) setNotice({ kind: 'failed', error: toErrorInfo(error) });
          });
      }
    }, 400);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [unchecked, hostConnected, hostId]);

  const result = useMemo(() => (settings && draft ? draftChanges(draft, settings, hostPaths) : undefined), [draft, settings, hostPaths]);

  if (loadError) {
    return (
      <section className="page-section">
        <ErrorNotice title={t('vmSettings.loadFailed')} error={loadError} />
        <div className="toolbar">
          <button type="button" className="button" onClick={() => void load()}>
            {t('vmSettings.reload')}
          </button>
        </div>
      </section>
    );
  }
  if (!settings || !draft || !result) {
    return (
      <section className="page-section">
        <p className="loading-line">
          <Spinner size="small" /> {t('vmSettings.loading')}
        </p>
      </section>
    );
  }

  // Problems with a maximum show under the maximum's input, the rest under the field's first.
  const errorOf = (field: VmSettingsField | 'vcpus-max' | 'memory-max'): string | undefined => {
    const problem = result.problems.find((candidate) => inputOf(candidate) === field);
    return problem ? problemText(problem, t) : undefined;
  };
  const edit = (patch: Partial<SettingsDraft>) => {
    setDraft({ ...draft, ...patch });
    setNotice(undefined);
  };
  const disabled = busy || !hostConnected;
  const { limits } = settings;
  // custom needs the host's list of models (domcapabilities); without it only the host modes.
  const offeredModes: string[] = CPU_MODES.filter((mode) => (limits.cpuModes.length === 0 ? mode !== 'custom' : limits.cpuModes.includes(mode)));
  const vcpusNow = Number(draft.vcpusCurrent) || settings.fields.vcpus.current;
  const overcommitted = limits.otherRunningVcpus + vcpusNow > limits.hostCpus;

  const apply = async () => {
    if (result.changes.length === 0 || result.problems.length > 0) return;
    setBusy(true);
    setNotice(undefined);
    try {
      const outcome = await requireClient().call('vm.settings.apply', { hostId, name: vm.name, revision: settings.revision, changes: result.changes });
      if (outcome.outcome === 'changed-on-host') {
        setNotice({ kind: 'changed-on-host' });
        return;
      }
      setNotice({ kind: 'applied' });
      if (outcome.name !== vm.name) {
        // The tab follows the VM to its new name.
        const ui = useUiStore.getState();
        ui.openTab({ kind: 'vm', hostId, name: outcome.name });
        ui.closeTab(nodeKey({ kind: 'vm', hostId, name: vm.name }));
        return;
      }
      await load({ discard: true });
    } catch (error) {
      setNotice({ kind: 'failed', error: toErrorInfo(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page-section vm-settings-form" data-testid="vm-settings" data-running={settings.running ? 'true' : 'false'}>
      {settings.running && (
        <p className="muted settings-note" data-testid="settings-running-note">
          {t('vmSettings.runningNote')}
        </p>
      )}
      <div className="form-section">
        <h2 className="form-section-title">{t('vmSettings.general')}</h2>
        <div className="form-section-body">
          <FormField
            id="vm-settings-name"
            field="name"
            errorTestId="settings-error-name"
            label={<SettingsLabel text={t('vmSettings.name')} field="name" settings={settings} />}
            hint={settings.running ? t('vmSettings.nameRunningHint') : undefined}
            error={errorOf('name')}
          >
            <input className="input" data-testid="settings-name" value={draft.name} disabled={disabled || settings.running} onChange={(event) => edit({ name: event.target.value })} />
          </FormField>
          <FormField id="vm-settings-title" field="title" errorTestId="settings-error-title" label={<SettingsLabel text={t('vmSettings.title')} field="title" settings={settings} />} error={errorOf('title')}>
            <input className="input" data-testid="settings-title" value={draft.title} disabled={disabled} onChange={(event) => edit({ title: event.target.value })} />
          </FormField>
          <FormField
            id="vm-settings-description"
            field="description"
            errorTestId="settings-error-description"
            label={<SettingsLabel text={t('vmSettings.description')} field="description" settings={settings} />}
            hint={settings.running ? t('vmSettings.descriptionRunningHint') : undefined}
            error={errorOf('description')}
          >
            <textarea className="input" rows={3} data-testid="settings-description" value={draft.description} disabled={disabled} onChange={(event) => edit({ description: event.target.value })} />
          </FormField>
        </div>
      </div>

      <div className="form-section">
        <h2 className="form-section-title">{t('vmSettings.cpu')}</h2>
        <div className="form-section-body">
          <CurrentAndMaximum
            field="vcpus"
            settings={settings}
            inputMode="numeric"
            current={{ label: t('vmSettings.vcpusCurrent'), value: draft.vcpusCurrent, error: errorOf('vcpus'), onChange: (vcpusCurrent) => edit({ vcpusCurrent }) }}
            maximum={{ label: t('vmSettings.vcpusMax'), value: draft.vcpusMax, hint: t('vmSettings.vcpusHint', { limit: limits.maxVcpus, host: limits.hostCpus }), error: errorOf('vcpus-max'), onChange: (vcpusMax) => edit({ vcpusMax }) }}
            disabled={disabled}
          />
          <FormField
            id="vm-settings-sockets"
            field="cpuTopology"
            errorTestId="settings-error-cpuTopology"
            label={<SettingsLabel text={t('vmSettings.topologyLabel')} field="cpuTopology" settings={settings} />}
            hint={t('vmSettings.topologyHint')}
            error={errorOf('cpuTopology')}
          >
            <div className="topology-inputs">
              {(['sockets', 'cores', 'threads'] as const).map((part) => (
                <label key={part} className="topology-input">
                  <span className="field-hint">{t(`vmSettings.topology.${part}`)}</span>
                  <input className="input" inputMode="numeric" data-testid={`settings-${part}`} value={draft[part]} disabled={disabled} onChange={(event) => edit({ [part]: event.target.value })} />
                </label>
              ))}
            </div>
          </FormField>
          <div className="form-row form-row-even">
            <FormField id="vm-settings-cpu-mode" field="cpuMode" errorTestId="settings-error-cpuMode" label={<SettingsLabel text={t('vmSettings.cpuModeLabel')} field="cpuMode" settings={settings} />} hint={t(cpuModeHintKey(draft.cpuMode))} error={errorOf('cpuMode')}>
              <select className="select-input" data-testid="settings-cpu-mode" value={draft.cpuMode} disabled={disabled} onChange={(event) => edit({ cpuMode: event.target.value, cpuModel: event.target.value === 'custom' ? draft.cpuModel || (limits.cpuModels[0] ?? '') : '' })}>
                {!offeredModes.includes(settings.fields.cpu.mode) && (
                  <option value={settings.fields.cpu.mode}>{cpuModeLabel(settings.fields.cpu.mode, t)}</option>
                )}
                {offeredModes.map((mode) => (
                  <option key={mode} value={mode}>
                    {cpuModeLabel(mode, t)}
                  </option>
                ))}
              </select>
            </FormField>
            {draft.cpuMode === 'custom' && (
              <FormField id="vm-settings-cpu-model" field="cpuModel" errorTestId="settings-error-cpuModel" label={t('vmSettings.cpuModel')}>
                <select className="select-input" data-testid="settings-cpu-model" value={draft.cpuModel} disabled={disabled} onChange={(event) => edit({ cpuModel: event.target.value })}>
                  {draft.cpuModel !== '' && !limits.cpuModels.includes(draft.cpuModel) && <option value={draft.cpuModel}>{draft.cpuModel}</option>}
                  {limits.cpuModels.map((model) => (
                    <option key={model} value={model}>
                      {model}
                    </option>
                  ))}
                </select>
              </FormField>
            )}
          </div>
          {overcommitted && (
            <div className="callout callout-warn" role="status" data-testid="settings-overcommit">
              <Icon name="alert" className="callout-icon" />
              <div className="callout-body">
                <p>{t('vmSettings.overcommit', { total: limits.otherRunningVcpus + vcpusNow, host: limits.hostCpus })}</p>
              </div>
            </div>
          )}
        </div>
      </div>

      <div className="form-section">
        <h2 className="form-section-title">{t('vmSettings.memory')}</h2>
        <div className="form-section-body">
          <CurrentAndMaximum
            field="memory"
            settings={settings}
            inputMode="decimal"
            current={{ label: t('vmSettings.memoryCurrent'), value: draft.memoryCurrentMiB, hint: settings.running && !limits.balloon ? t('vmSettings.noBalloon') : undefined, error: errorOf('memory'), onChange: (memoryCurrentMiB) => edit({ memoryCurrentMiB }) }}
            maximum={{ label: t('vmSettings.memoryMax'), value: draft.memoryMaxMiB, hint: t('vmSettings.memoryHint', { host: formatMemoryKiB(limits.hostMemoryKiB, t.language) }), error: errorOf('memory-max'), onChange: (memoryMaxMiB) => edit({ memoryMaxMiB }) }}
            disabled={disabled}
          />
          {/* Offered only when the host has hugepages (or the guest uses them, so they can be turned off). */}
          {(limits.hugepageSizesKiB.length > 0 || settings.fields.hugepages) && (
            <div className="settings-label-row">
              <CheckboxField
                id="vm-settings-hugepages"
                label={t('vmSettings.hugepages')}
                hint={limits.hugepageSizesKiB.length > 0 ? t('vmSettings.hugepagesHint', { sizes: limits.hugepageSizesKiB.map((size) => formatMemoryKiB(size, t.language)).join(', ') }) : t('vmSettings.hugepagesNone')}
                checked={draft.hugepages}
                disabled={disabled}
                testId="settings-hugepages"
                onChange={(hugepages) => edit({ hugepages })}
              />
              <AppliesMark field="hugepages" settings={settings} />
            </div>
          )}
          {errorOf('hugepages') && (
            <p className="field-error" data-testid="settings-error-hugepages" role="alert">
              {errorOf('hugepages')}
            </p>
          )}
        </div>
      </div>

      <PinningSettings settings={settings} draft={draft} disabled={disabled} problems={result.problems} edit={edit} />

      <DiskSettings settings={settings} draft={draft} disabled={disabled} problems={result.problems} edit={edit} />

      <NicSettings settings={settings} draft={draft} disabled={disabled} problems={result.problems} edit={edit} />

      <div className="form-section">
        <h2 className="form-section-title">
          <SettingsLabel text={t('vmSettings.boot')} field="boot" settings={settings} />
        </h2>
        <div className="form-section-body">
          {settings.fields.boot.perDevice ? (
            <p className="field-hint" data-testid="settings-boot-per-device">
              {t('vmSettings.bootPerDevice')}
            </p>
          ) : (
            <ol className="boot-order" data-testid="settings-boot-order" aria-label={t('vmSettings.bootOrder')}>
              {draft.bootOrder.map((entry, index) => (
                <li key={entry.dev} className="boot-order-row" data-testid={`boot-${entry.dev}`}>
                  <CheckboxField
                    id={`vm-settings-boot-${entry.dev}`}
                    label={t(`vmSettings.bootDevice.${entry.dev}`)}
                    checked={entry.on}
                    disabled={disabled}
                    testId={`boot-${entry.dev}-on`}
                    onChange={(on) => edit({ bootOrder: draft.bootOrder.map((candidate) => (candidate.dev === entry.dev ? { ...candidate, on } : candidate)) })}
                  />
                  <button type="button" className="button button-small" data-testid={`boot-${entry.dev}-up`} aria-label={t('vmSettings.bootUp', { device: t(`vmSettings.bootDevice.${entry.dev}`) })} disabled={disabled || index === 0} onClick={() => edit({ bootOrder: moveBootDevice(draft.bootOrder, index, -1) })}>
                    ↑
                  </button>
                  <button type="button" className="button button-small" data-testid={`boot-${entry.dev}-down`} aria-label={t('vmSettings.bootDown', { device: t(`vmSettings.bootDevice.${entry.dev}`) })} disabled={disabled || index === draft.bootOrder.length - 1} onClick={() => edit({ bootOrder: moveBootDevice(draft.bootOrder, index, 1) })}>
                    ↓
                  </button>
                </li>
              ))}
            </ol>
          )}
          {errorOf('boot') && (
            <p className="field-error" data-testid="settings-error-boot" data-field="boot" role="alert">
              {errorOf('boot')}
            </p>
          )}
          <CheckboxField id="vm-settings-boot-menu" label={t('vmSettings.bootMenu')} hint={t('vmSettings.bootMenuHint')} checked={draft.bootMenu} disabled={disabled} testId="settings-boot-menu" onChange={(bootMenu) => edit({ bootMenu })} />
          <FormField
            id="vm-settings-firmware"
            field="firmware"
            errorTestId="settings-error-firmware"
            label={<SettingsLabel text={t('vmSettings.firmwareLabel')} field="firmware" settings={settings} />}
            hint={limits.efi ? t('vmSettings.firmwareHint') : t('vmSettings.firmwareNoEfi')}
            error={errorOf('firmware')}
          >
            <select className="select-input" data-testid="settings-firmware" value={draft.firmware} disabled={disabled} onChange={(event) => edit({ firmware: event.target.value === 'efi' ? 'efi' : 'bios' })}>
              <option value="bios">{t('vmSettings.firmware.bios')}</option>
              <option value="efi" disabled={!limits.efi && settings.fields.firmware !== 'efi'}>
                {t('vmSettings.firmware.efi')}
              </option>
            </select>
          </FormField>
        </div>
      </div>

      <GraphicsSettings settings={settings} draft={draft} disabled={disabled} problems={result.problems} edit={edit} />

      <div className="pending-changes" data-testid="settings-pending">
        <p className="section-title">{t('vmSettings.pending')}</p>
        {result.changes.length === 0 ? (
          <p className="muted">{t('vmSettings.noPending')}</p>
        ) : (
          <ul>
            {result.changes.map((change) => {
              const now = appliesNow(change, settings);
              return (
                <li key={changeKey(change)} data-testid={`pending-${changeKey(change)}`} data-live={now ? 'true' : 'false'}>
                  <span className="pending-change-text">{describeChange(change, settings, t)}</span>
                  {settings.running && (
                    <span className={`applies-mark ${now ? 'applies-mark-now' : 'applies-mark-restart'}`}>{t(now ? 'vmSettings.appliesNow' : 'vmSettings.appliesAfterRestart')}</span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <div className="toolbar">
          <button
            type="button"
            className="button button-primary"
            data-testid="settings-apply"
            disabled={disabled || result.changes.length === 0 || result.problems.length > 0}
            onClick={() => void apply()}
          >
            {busy ? <Spinner size="small" /> : <Icon name="check" />} {t('vmSettings.apply')}
          </button>
          <button type="button" className="button" data-testid="settings-discard" disabled={busy || result.changes.length === 0} onClick={() => edit(draftFrom(settings))}>
            {t('vmSettings.discard')}
          </button>
        </div>
      </div>

      {notice?.kind === 'applied' && (
        <div className="callout callout-info" role="status" data-testid="settings-applied">
          <Icon name="check" className="callout-icon" />
          <div className="callout-body">
            <p>{t('vmSettings.applied')}</p>
          </div>
        </div>
      )}
      {notice?.kind === 'changed-on-host' && (
        <div className="callout callout-warn" role="alert" data-testid="settings-changed-on-host">
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p>{t('vmSettings.changedOnHost')}</p>
            <div className="callout-actions">
              <button type="button" className="button button-small" onClick={() => void load({ discard: true }).then(() => setNotice(undefined))}>
                {t('vmSettings.reloadDiscarding')}
              </button>
            </div>
          </div>
        </div>
      )}
      {notice?.kind === 'failed' && (
        <div data-testid="settings-failed">
          <ErrorNotice title={t('vmSettings.applyFailed')} error={notice.error} />
        </div>
      )}
    </section>
  );
}

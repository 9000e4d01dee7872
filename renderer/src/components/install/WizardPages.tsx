/** The wizard's pages for the operating system, resources, storage and network. */
import { useMemo, useState } from 'react';
import type { InstallHostFacts, OsChoice, WizardPreview, WizardProblem } from '../../../../preload/contract.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { CheckboxField, FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { applyOsDefaults, sourceBringsDisk, touch, type WizardForm } from './wizardModel.js';

export interface PageProps {
  form: WizardForm;
  facts: InstallHostFacts;
  update(change: (current: WizardForm) => WizardForm): void;
  preview: WizardPreview | undefined;
}

/** The first problem of a page for one field (by key), as its error text. */
export function useFieldProblem(preview: WizardPreview | undefined, keys: readonly string[]): string | undefined {
  const t = useT();
  const problem = preview?.problems.find((candidate) => keys.includes(candidate.key));
  return problem ? wizardProblemText(t, problem) : undefined;
}

/** A problem or warning of main's preview in the user's language (a byte count `free` as a size). */
export function wizardProblemText(t: ReturnType<typeof useT>, problem: WizardProblem): string {
  const params = problem.params && typeof problem.params.free === 'number' ? { ...problem.params, free: formatBytes(problem.params.free, t.language) } : problem.params;
  return t.dynamic(`install.problem.${problem.key}`, params);
}

function Warn({ children, testId }: { children: string; testId: string }) {
  return (
    <div className="callout callout-warn" data-testid={testId}>
      <Icon name="alert" className="callout-icon" />
      <div className="callout-body">
        <p>{children}</p>
      </div>
    </div>
  );
}

export function OsPage({ form, facts, osList, update }: PageProps & { osList: readonly OsChoice[] }) {
  const t = useT();
  const [query, setQuery] = useState('');
  const shown = useMemo(() => {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const matching = osList.filter((os) => words.every((word) => `${os.name} ${os.shortId} ${os.id}`.toLowerCase().includes(word)));
    return matching.slice(0, 200);
  }, [osList, query]);
  const chosen = osList.find((os) => os.id === form.osId);
  return (
    <div className="dialog-stack">
      <p className="muted" data-testid="wizard-os-chosen">
        {chosen ? t('install.os.chosen', { name: chosen.name }) : t('install.os.noneChosen')}
      </p>
      <FormField id="wizard-os-search" label={t('install.os.search')} field="os" errorTestId="wizard-os-error" hint={t('install.os.hint')}>
        <input className="input" type="search" data-testid="wizard-os-search" data-autofocus value={query} placeholder={t('install.os.searchPlaceholder')} onChange={(event) => setQuery(event.target.value)} />
      </FormField>
      <div className="wizard-os-list" role="radiogroup" aria-label={t('install.page.os')} data-testid="wizard-os-list">
        <label className="choice">
          <input type="radio" name="wizard-os" checked={form.osId === ''} onChange={() => update((current) => applyOsDefaults(current, undefined, facts.uefiAvailable))} />
          <span className="choice-text">
            <span>{t('install.os.generic')}</span>
          </span>
        </label>
        {shown.map((os) => (
          <label key={os.id} className="choice" data-testid="wizard-os-option" data-os-id={os.id}>
            <input type="radio" name="wizard-os" checked={form.osId === os.id} onChange={() => update((current) => applyOsDefaults(current, os, facts.uefiAvailable))} />
            <span className="choice-text">
              <span>{os.name}</span>
              <span className="choice-hint">
                {t('install.os.defaults', { memory: formatBytes(os.defaults.memoryMiB * 1024 ** 2, t.language), disk: os.defaults.diskGiB, vcpus: os.defaults.vcpus })}
                {os.origin === 'host' ? ` · ${t('install.os.fromHost')}` : ''}
              </span>
            </span>
          </label>
        ))}
      </div>
    </div>
  );
}

export function ResourcesPage({ form, facts, update, preview }: PageProps) {
  const t = useT();
  const types = useMemo(() => [...new Set(facts.domainTypes.filter((entry) => entry.type !== 'lxc').map((entry) => entry.type))], [facts]);
  const memoryError = useFieldProblem(preview, ['memoryBeyondHost', 'memoryTooSmall']);
  const vcpuError = useFieldProblem(preview, ['vcpusTooFew']);
  const firmwareError = useFieldProblem(preview, ['uefiMissing']);
  // Main's preview gives the page's advice when it has any; these are for when it has none.
  const ownWarnings = !preview?.warnings.some((warning) => warning.page === 'resources');
  return (
    <div className="dialog-stack">
      <div className="form-row form-row-even">
        <FormField
          id="wizard-memory"
          label={t('install.field.memory')}
          field="memory"
          errorTestId="wizard-memory-error"
          error={memoryError}
          hint={t('install.field.memoryHint', { free: formatBytes(facts.freeMemoryMiB * 1024 ** 2, t.language), total: formatBytes(facts.hostMemoryMiB * 1024 ** 2, t.language) })}
        >
          <input className="input" type="number" min={16} step={64} data-testid="wizard-memory" data-autofocus value={form.memoryMiB} onChange={(event) => update((current) => touch(current, 'memoryMiB', Number(event.target.value)))} />
        </FormField>
        <FormField id="wizard-vcpus" label={t('install.field.vcpus')} field="vcpus" errorTestId="wizard-vcpus-error" error={vcpuError} hint={t('install.field.vcpusHint', { threads: facts.hostThreads })}>
          <input className="input" type="number" min={1} data-testid="wizard-vcpus" value={form.vcpus} onChange={(event) => update((current) => touch(current, 'vcpus', Number(event.target.value)))} />
        </FormField>
      </div>
      {ownWarnings && form.vcpus > facts.hostThreads && <Warn testId="wizard-vcpus-warning">{t('install.warn.vcpus', { threads: facts.hostThreads })}</Warn>}
      <div className="form-row form-row-even">
        <FormField id="wizard-domain-type" label={t('install.field.domainType')} field="domainType" errorTestId="wizard-domain-type-error">
          <select
            className="select"
            data-testid="wizard-domain-type"
            value={form.domainType}
            onChange={(event) => {
              const type = event.target.value as WizardForm['domainType'];
              const arch = facts.domainTypes.find((entry) => entry.type === type)?.arch ?? form.arch;
              update((current) => ({ ...current, domainType: type, arch }));
            }}
          >
            {types.map((type) => (
              <option key={type} value={type} disabled={type === 'kvm' && !facts.kvmUsable}>
                {t(`install.domainType.${type}`)}
              </option>
            ))}
          </select>
        </FormField>
        <FormField id="wizard-cpu-mode" label={t('install.field.cpuMode')} field="cpuMode" errorTestId="wizard-cpu-mode-error">
          <select className="select" data-testid="wizard-cpu-mode" value={form.cpuMode} onChange={(event) => update((current) => ({ ...current, cpuMode: event.target.value as WizardForm['cpuMode'] }))}>
            <option value="">{t('install.cpuMode.default')}</option>
            <option value="host-passthrough">{t('install.cpuMode.passthrough')}</option>
            <option value="host-model">{t('install.cpuMode.model')}</option>
            <option value="maximum">{t('install.cpuMode.maximum')}</option>
          </select>
        </FormField>
      </div>
      {ownWarnings && form.domainType === 'qemu' && <Warn testId="wizard-tcg-warning">{t('install.warn.softwareEmulation')}</Warn>}
      <fieldset className="choice-list" data-testid="wizard-firmware">
        <legend>{t('install.field.firmware')}</legend>
        <label className="choice">
          <input type="radio" name="wizard-firmware" checked={form.firmware === 'bios'} onChange={() => update((current) => touch(current, 'firmware', 'bios'))} />
          <span className="choice-text">
            <span>{t('install.firmware.bios')}</span>
          </span>
        </label>
        <label className={`choice${facts.uefiAvailable ? '' : ' choice-disabled'}`}>
          <input type="radio" name="wizard-firmware" disabled={!facts.uefiAvailable} checked={form.firmware === 'uefi'} onChange={() => update((current) => touch(current, 'firmware', 'uefi'))} />
          <span className="choice-text">
            <span>{t('install.firmware.uefi')}</span>
            {!facts.uefiAvailable && <span className="choice-hint">{t('install.firmware.uefiMissing')}</span>}
          </span>
        </label>
      </fieldset>
      {firmwareError && <p className="field-error" role="alert">{firmwareError}</p>}
    </div>
  );
}

export function StoragePage({ form, facts, update, preview }: PageProps) {
  const t = useT();
  const pools = facts.pools.filter((pool) => pool.active);
  const pool = pools.find((candidate) => candidate.name === form.pool);
  const sizeError = useFieldProblem(preview, ['diskBeyondPool']);
  if (sourceBringsDisk(form.sourceKind)) {
    return <p className="muted" data-testid="wizard-storage-from-source">{t('install.storage.fromSource')}</p>;
  }
  return (
    <div className="dialog-stack">
      <fieldset className="choice-list" data-testid="wizard-storage-kind">
        <legend>{t('install.field.disk')}</legend>
        {(['new', 'existing', 'none'] as const).map((kind) => (
          <label key={kind} className="choice" data-testid={`wizard-storage-${kind}`}>
            <input type="radio" name="wizard-storage" checked={form.storageKind === kind} disabled={kind === 'new' && pools.length === 0} onChange={() => update((current) => ({ ...current, storageKind: kind }))} />
            <span className="choice-text">
              <span>{t(`install.storage.${kind}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {form.storageKind === 'new' && (
        <>
          <div className="form-row form-row-even">
            <FormField id="wizard-pool" label={t('install.field.pool')} field="pool" errorTestId="wizard-pool-error" hint={pool ? t('install.field.poolFree', { free: formatBytes(pool.freeBytes, t.language) }) : undefined}>
              <select className="select" data-testid="wizard-pool" value={form.pool} onChange={(event) => update((current) => ({ ...current, pool: event.target.value }))}>
                {pools.map((candidate) => (
                  <option key={candidate.name} value={candidate.name}>
                    {candidate.name}
                  </option>
                ))}
              </select>
            </FormField>
            <FormField id="wizard-disk-size" label={t('install.field.diskSize')} field="diskSize" errorTestId="wizard-disk-size-error" error={sizeError}>
              <input className="input" type="number" min={1} data-testid="wizard-disk-size" value={form.diskGiB} onChange={(event) => update((current) => touch(current, 'diskGiB', Number(event.target.value)))} />
            </FormField>
          </div>
          <div className="form-row form-row-even">
            <FormField id="wizard-format" label={t('install.field.format')} field="format" errorTestId="wizard-format-error">
              <select className="select" data-testid="wizard-format" value={form.format} onChange={(event) => update((current) => ({ ...current, format: event.target.value as 'qcow2' | 'raw' }))}>
                <option value="qcow2">qcow2</option>
                <option value="raw">raw</option>
              </select>
            </FormField>
            <FormField id="wizard-bus" label={t('install.field.diskBus')} field="diskBus" errorTestId="wizard-bus-error">
              <select className="select" data-testid="wizard-bus" value={form.diskBus} onChange={(event) => update((current) => touch(current, 'diskBus', event.target.value as WizardForm['diskBus']))}>
                {(['virtio', 'sata', 'scsi', 'ide'] as const).map((bus) => (
                  <option key={bus} value={bus}>
                    {bus}
                  </option>
                ))}
              </select>
            </FormField>
          </div>
          <CheckboxField id="wizard-sparse" testId="wizard-sparse" label={t('install.field.sparse')} hint={t('install.field.sparseHint')} checked={form.sparse} onChange={(sparse) => update((current) => ({ ...current, sparse }))} />
        </>
      )}
      {form.storageKind === 'existing' && (
        <FormField id="wizard-existing" label={t('install.field.existingPath')} field="existingPath" errorTestId="wizard-existing-error" hint={t('install.field.pathHint')}>
          <input className="input mono" data-testid="wizard-existing" value={form.existingPath} placeholder="/var/lib/libvirt/images/disk.qcow2" onChange={(event) => update((current) => ({ ...current, existingPath: event.target.value }))} />
        </FormField>
      )}
    </div>
  );
}

export function NetworkPage({ form, facts, update, preview }: PageProps) {
  const t = useT();
  const networks = facts.networks.filter((network) => network.active);
  const chosen = networks.find((network) => network.name === form.network);
  const available = { network: networks.length > 0, bridge: facts.bridges.length > 0, macvtap: facts.devices.length > 0, none: true };
  return (
    <div className="dialog-stack">
      <fieldset className="choice-list" data-testid="wizard-network-kind">
        <legend>{t('install.field.networkKind')}</legend>
        {(['network', 'bridge', 'macvtap', 'none'] as const).map((kind) => (
          <label key={kind} className={`choice${available[kind] ? '' : ' choice-disabled'}`} data-testid={`wizard-network-${kind}`}>
            <input type="radio" name="wizard-network" checked={form.networkKind === kind} disabled={!available[kind]} onChange={() => update((current) => ({ ...current, networkKind: kind }))} />
            <span className="choice-text">
              <span>{t(`install.network.${kind}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-row form-row-even">
        {form.networkKind === 'network' && (
          <FormField id="wizard-network-name" label={t('install.network.network')} field="network" errorTestId="wizard-network-error">
            <select className="select" data-testid="wizard-network-name" value={form.network} onChange={(event) => update((current) => ({ ...current, network: event.target.value }))}>
              {networks.map((network) => (
                <option key={network.name} value={network.name}>
                  {network.name}
                </option>
              ))}
            </select>
          </FormField>
        )}
        {form.networkKind === 'bridge' && (
          <FormField id="wizard-bridge" label={t('install.network.bridge')} field="bridge" errorTestId="wizard-bridge-error">
            <select className="select" data-testid="wizard-bridge" value={form.bridge} onChange={(event) => update((current) => ({ ...current, bridge: event.target.value }))}>
              {facts.bridges.map((bridge) => (
                <option key={bridge} value={bridge}>
                  {bridge}
                </option>
              ))}
            </select>
          </FormField>
        )}
        {form.networkKind === 'macvtap' && (
          <FormField id="wizard-macvtap" label={t('install.network.macvtap')} field="macvtap" errorTestId="wizard-macvtap-error">
            <select className="select" data-testid="wizard-macvtap" value={form.macvtapDevice} onChange={(event) => update((current) => ({ ...current, macvtapDevice: event.target.value }))}>
              {facts.devices.map((device) => (
                <option key={device} value={device}>
                  {device}
                </option>
              ))}
            </select>
          </FormField>
        )}
        {form.networkKind !== 'none' && (
          <FormField id="wizard-nic-model" label={t('install.field.nicModel')} field="nicModel" errorTestId="wizard-nic-model-error">
            <select className="select" data-testid="wizard-nic-model" value={form.nicModel} onChange={(event) => update((current) => touch(current, 'nicModel', event.target.value))}>
              {['virtio', 'e1000e', 'e1000', 'rtl8139'].map((model) => (
                <option key={model} value={model}>
                  {model}
                </option>
              ))}
            </select>
          </FormField>
        )}
      </div>
      {form.sourceKind === 'pxe' && form.networkKind === 'none' && <p className="field-error" role="alert" data-testid="wizard-pxe-needs-network">{t('install.pxe.needsNetwork')}</p>}
      {form.sourceKind === 'pxe' && form.networkKind === 'network' && chosen && !chosen.pxe && !preview?.warnings.some((warning) => warning.page === 'network') && <Warn testId="wizard-pxe-warning">{t('install.pxe.cannotServe', { network: chosen.name })}</Warn>}
    </div>
  );
}

/**
 * The network interfaces part of the settings form: per interface its model, MAC, link, source
 * (a libvirt network of the host or a host bridge) and removing it; then adding one (source,
 * model virtio by default, a MAC generated unused on the host or typed). Adding and removing
 * reach a running guest at once (hot-plug).
 */
import { useState } from 'react';
import { generateMac, NicModel, type NicSource, type VmSettings } from '../../../../../preload/contract.js';
import type { Translator } from '../../../i18n/translate.js';
import { useT } from '../../../i18n/useT.js';
import { CheckboxField, FormField } from '../../common/FormField.js';
import { AppliesMark, OptionsSelect, problemText, SettingsLabel } from './settingsFields.js';
import type { SettingsPartProps } from './settingsFields.js';
import { nicSourceFromKey, nicSourceKey, type DraftProblem, type NicDraft, type SettingsDraft } from './settingsDraft.js';

type Props = SettingsPartProps;

const NIC_MODELS = NicModel.options;

export function nicSourceText(source: NicSource, t: Translator): string {
  return t(source.type === 'network' ? 'vmSettings.nicSource.network' : 'vmSettings.nicSource.bridge', { name: source.name });
}

/** The sources the host offers, and the interface's own when the host does not list it. */
function sourceOptions(settings: VmSettings, t: Translator, current?: string) {
  const options = [
    ...settings.limits.networks.map((network) => {
      const label = nicSourceText({ type: 'network', name: network.name }, t);
      return { value: nicSourceKey({ type: 'network', name: network.name }), label: network.active ? label : t('vmSettings.nicSource.inactive', { source: label }) };
    }),
    ...settings.limits.bridges.map((bridge) => ({ value: nicSourceKey({ type: 'bridge', name: bridge }), label: nicSourceText({ type: 'bridge', name: bridge }, t) })),
  ];
  if (current !== undefined && !options.some((option) => option.value === current)) {
    const source = nicSourceFromKey(current);
    options.unshift({ value: current, label: source ? nicSourceText(source, t) : current.replace(/:$/, '') });
  }
  return options;
}

export function NicSettings({ settings, draft, disabled, problems, edit }: Props) {
  const t = useT();
  const problemFor = (mac: string, fields: readonly DraftProblem['field'][]) => problems.find((candidate) => fields.includes(candidate.field) && candidate.params?.mac === mac);
  const textOf = (problem: DraftProblem | undefined) => (problem ? problemText(problem, t) : undefined);
  return (
    <div className="form-section" data-testid="settings-nics">
      <h2 className="form-section-title">{t('vmSettings.nics')}</h2>
      <div className="form-section-body">
        {settings.fields.nics.map((nic) => {
          const edited: NicDraft = draft.nics[nic.mac] ?? { model: nic.model, mac: nic.mac, link: nic.link, source: `${nic.type}:${nic.source}`, remove: false };
          const id = nic.mac.replace(/:/g, '');
          const setNic = (patch: Partial<NicDraft>) => edit({ nics: { ...draft.nics, [nic.mac]: { ...edited, ...patch } } });
          return (
            <div key={nic.mac} className={`disk-settings${edited.remove ? ' disk-settings-removed' : ''}`} data-testid={`nic-${id}`}>
              <p className="disk-title">
                <span className="mono">{nic.mac}</span> · {nic.type}
                {nic.source && <span className="mono muted disk-source">{nic.source}</span>}
              </p>
              {!edited.remove && (
                <>
                  <div className="form-row form-row-even">
                    <FormField id={`vm-settings-nic-model-${id}`} field="nic" errorTestId={`settings-error-nic-model-${id}`} label={<SettingsLabel text={t('vmSettings.nicModel')} field="nic" settings={settings} />} hint={t(edited.model === 'virtio' ? 'vmSettings.nicModelHint.virtio' : 'vmSettings.nicModelHint.other')}>
                      <OptionsSelect
                        testId={`nic-${id}-model`}
                        value={edited.model}
                        options={[...((NIC_MODELS as readonly string[]).includes(nic.model) ? [] : [{ value: nic.model, label: nic.model || t('vmSettings.defaultMode') }]), ...NIC_MODELS.map((model) => ({ value: model, label: model }))]}
                        disabled={disabled}
                        onChange={(model) => setNic({ model })}
                      />
                    </FormField>
                    <FormField id={`vm-settings-nic-mac-${id}`} field="nic" errorTestId={`settings-error-nic-${id}`} label={<SettingsLabel text={t('vmSettings.nicMac')} field="nic" settings={settings} />} error={textOf(problemFor(nic.mac, ['nic', 'nicLink']))}>
                      <input className="input mono" data-testid={`nic-${id}-mac`} value={edited.mac} disabled={disabled} onChange={(event) => setNic({ mac: event.target.value })} />
                    </FormField>
                  </div>
                  {(nic.type === 'network' || nic.type === 'bridge') && (
                    <FormField id={`vm-settings-nic-source-${id}`} field="nicSource" errorTestId={`settings-error-nicSource-${id}`} label={<SettingsLabel text={t('vmSettings.nicSource')} field="nicSource" settings={settings} />} error={textOf(problemFor(nic.mac, ['nicSource']))}>
                      <OptionsSelect testId={`nic-${id}-source`} value={edited.source} options={sourceOptions(settings, t, `${nic.type}:${nic.source}`)} disabled={disabled} onChange={(source) => setNic({ source })} />
                    </FormField>
                  )}
                  <div className="settings-label-row">
                    <CheckboxField id={`vm-settings-nic-link-${id}`} label={t('vmSettings.nicLink')} checked={edited.link === 'up'} disabled={disabled} testId={`nic-${id}-link`} onChange={(up) => setNic({ link: up ? 'up' : 'down' })} />
                    <AppliesMark field="nicLink" settings={settings} />
                  </div>
                </>
              )}
              <div className="settings-label-row">
                <CheckboxField id={`vm-settings-nic-remove-${id}`} label={t('vmSettings.nicRemove')} checked={edited.remove} disabled={disabled} testId={`nic-${id}-remove`} onChange={(remove) => setNic({ remove })} />
                <SettingsLabel text="" field="nicRemove" settings={settings} live={settings.live ? settings.live.nicMacs.includes(nic.mac) : true} />
              </div>
            </div>
          );
        })}
        {draft.nicAdds.map((added, index) => {
          const id = added.mac.replace(/:/g, '');
          return (
            <div key={added.mac} className="disk-settings disk-settings-new" data-testid={`nic-new-${id}`}>
              <p className="disk-title">
                <span className="applies-mark applies-mark-now">{t('vmSettings.newDisk')}</span> <span className="mono">{added.mac}</span> · {added.model}
                <span className="mono muted disk-source">{nicSourceText(added.source, t)}</span>
                <AppliesMark field="nicAdd" settings={settings} />
              </p>
              {textOf(problemFor(added.mac, ['nicAdd'])) && (
                <p className="field-error" data-testid={`settings-error-nicAdd-${id}`} role="alert">
                  {textOf(problemFor(added.mac, ['nicAdd']))}
                </p>
              )}
              <button type="button" className="button button-small" data-testid={`nic-new-${id}-drop`} disabled={disabled} onClick={() => edit({ nicAdds: draft.nicAdds.filter((_, other) => other !== index) })}>
                {t('vmSettings.dontAdd')}
              </button>
            </div>
          );
        })}
        <NicAddForm settings={settings} draft={draft} disabled={disabled} edit={edit} />
      </div>
    </div>
  );
}

function takenMacs(settings: VmSettings, draft: SettingsDraft): string[] {
  return [...settings.limits.otherMacs, ...settings.fields.nics.map((nic) => nic.mac), ...draft.nicAdds.map((added) => added.mac.toLowerCase())];
}

function NicAddForm({ settings, draft, disabled, edit }: Omit<Props, 'problems'>) {
  const t = useT();
  const options = sourceOptions(settings, t);
  const [source, setSource] = useState(options[0]?.value ?? '');
  const [model, setModel] = useState<NicModel>('virtio');
  const [mac, setMac] = useState(() => generateMac(takenMacs(settings, draft)));
  const chosen = nicSourceFromKey(source);
  const add = () => {
    if (!chosen) return;
    const typed = mac.trim().toLowerCase();
    edit({ nicAdds: [...draft.nicAdds, { mac: typed, model, source: chosen }] });
    setMac(generateMac([...takenMacs(settings, draft), typed]));
  };
  return (
    <div className="disk-add" data-testid="nic-add">
      <p className="section-title">{t('vmSettings.nicAdd')}</p>
      {options.length === 0 ? (
        <p className="field-hint">{t('vmSettings.nicAddNoSource')}</p>
      ) : (
        <>
          <div className="form-row form-row-even">
            <FormField id="vm-settings-nic-add-source" field="nicAdd" errorTestId="settings-error-nic-add-source" label={t('vmSettings.nicSource')}>
              <OptionsSelect testId="nic-add-source" value={source} options={options} disabled={disabled} onChange={setSource} />
            </FormField>
            <FormField id="vm-settings-nic-add-model" field="nicAdd" errorTestId="settings-error-nic-add-model" label={t('vmSettings.nicModel')} hint={t(model === 'virtio' ? 'vmSettings.nicModelHint.virtio' : 'vmSettings.nicModelHint.other')}>
              <OptionsSelect testId="nic-add-model" value={model} options={NIC_MODELS.map((value) => ({ value, label: value }))} disabled={disabled} onChange={(value) => setModel(NicModel.catch('virtio').parse(value))} />
            </FormField>
          </div>
          <FormField id="vm-settings-nic-add-mac" field="nicAdd" errorTestId="settings-error-nic-add-mac" label={t('vmSettings.nicMac')} hint={t('vmSettings.nicAddMacHint')}>
            <input className="input mono" data-testid="nic-add-mac" value={mac} disabled={disabled} onChange={(event) => setMac(event.target.value)} />
          </FormField>
          <button type="button" className="button" data-testid="nic-add-button" disabled={disabled || !chosen || mac.trim() === ''} onClick={add}>
            {t('vmSettings.addToPending')}
          </button>
        </>
      )}
    </div>
  );
}

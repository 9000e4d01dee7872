/**
 * vCPU and emulator pinning: the host's CPU topology, one host-CPU list per vCPU and one for
 * the emulator threads, and — for a running guest — where each runs now (`vcpuinfo`,
 * `emulatorpin`). A CPU the host does not have is refused beside its input.
 */
import { allCpusText } from '../../../../../preload/contract.js';
import { useT } from '../../../i18n/useT.js';
import { FormField } from '../../common/FormField.js';
import { problemText, SettingsLabel } from './settingsFields.js';
import type { SettingsPartProps } from './settingsFields.js';

type Props = SettingsPartProps;

export function PinningSettings({ settings, draft, disabled, problems, edit }: Props) {
  const t = useT();
  const { hostTopology } = settings.limits;
  const vcpus = Math.max(1, Number(draft.vcpusMax) || settings.fields.vcpus.max);
  const livePins = settings.live?.pinning;
  const errorFor = (target: string) => {
    const problem = problems.find((candidate) => candidate.field === 'pinning' && String(candidate.params?.target) === target);
    return problem ? problemText(problem, t) : undefined;
  };
  const setPin = (target: string, cpuset: string) =>
    edit({ pinning: target === 'emulator' ? { ...draft.pinning, emulator: cpuset } : { ...draft.pinning, vcpus: { ...draft.pinning.vcpus, [target]: cpuset } } });
  const pinField = (target: string, label: string, value: string, now: string | undefined) => (
    <FormField
      key={target}
      id={`vm-settings-pin-${target}`}
      field={`pin-${target}`}
      errorTestId={`settings-error-pin-${target}`}
      label={label}
      hint={now !== undefined ? t('vmSettings.pin.now', { cpus: now }) : undefined}
      error={errorFor(target)}
    >
      <input className="input mono" data-testid={`settings-pin-${target}`} value={value} placeholder={t('vmSettings.pin.any')} disabled={disabled} onChange={(event) => setPin(target, event.target.value)} />
    </FormField>
  );
  return (
    <div className="form-section" data-testid="settings-pinning">
      <h2 className="form-section-title">
        <SettingsLabel text={t('vmSettings.pinning')} field="pinning" settings={settings} />
      </h2>
      <div className="form-section-body">
        <p className="field-hint" data-testid="settings-host-topology">
          {t('vmSettings.pin.hostTopology', {
            count: hostTopology.onlineCpus.length,
            list: allCpusText(hostTopology.onlineCpus),
            sockets: hostTopology.sockets,
            cores: hostTopology.coresPerSocket,
            threads: hostTopology.threadsPerCore,
          })}{' '}
          {t('vmSettings.pin.hint')}
        </p>
        <div className="pin-grid">
          {Array.from({ length: vcpus }, (_, vcpu) => pinField(String(vcpu), t('vmSettings.pin.vcpu', { vcpu }), draft.pinning.vcpus[String(vcpu)] ?? '', livePins?.vcpus[String(vcpu)]))}
          {pinField('emulator', t('vmSettings.pin.emulator'), draft.pinning.emulator, livePins?.emulator)}
        </div>
      </div>
    </div>
  );
}

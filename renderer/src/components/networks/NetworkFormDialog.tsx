/**
 * Create or edit a virtual network: kind, bridge, IPv4 and/or IPv6 with DHCP range and fixed
 * leases, DNS domain and network boot. Everything is checked here (the same checks main makes)
 * and nothing is sent until the form is right.
 */
import { useState } from 'react';
import { networkDraftProblems, type NetworkDraft, type NetworkKind, type NetworkNamesInUse, type NetworkProblem } from '../../../../preload/contract.js';
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { draftFromForm, type IpForm, type NetworkForm } from '../../model/networkForm.js';
import { CheckboxField, FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Dialog } from '../dialogs/Dialog.js';
import '../vms/vmManage.css';
import './networks.css';

const KINDS: readonly NetworkKind[] = ['nat', 'route', 'isolated', 'open'];

interface NetworkFormDialogProps {
  /** The network being edited; absent when creating one. */
  editing?: string;
  initial: NetworkForm;
  inUse: NetworkNamesInUse;
  onClose(): void;
  onSave(draft: NetworkDraft, start: boolean): void;
}

export function NetworkFormDialog({ editing, initial, inUse, onClose, onSave }: NetworkFormDialogProps) {
  const t = useT();
  const [form, setForm] = useState<NetworkForm>(initial);
  const [start, setStart] = useState(true);
  const [submitted, setSubmitted] = useState(false);
  const draft = draftFromForm(form);
  const problems = networkDraftProblems(draft, inUse, editing);
  const errorOf = (field: string, always = false): string | undefined => {
    if (!submitted && !always) return undefined;
    const problem = problems.find((candidate) => candidate.field === field);
    return problem ? t(`vnet.problem.${problem.code}` as MessageKey) : undefined;
  };
  const update = (change: Partial<NetworkForm>) => setForm((current) => ({ ...current, ...change }));
  const submit = () => {
    setSubmitted(true);
    if (problems.length === 0) onSave(draft, start);
  };
  const formError = submitted && problems.some((problem: NetworkProblem) => problem.field.endsWith('.enabled')) ? problems.find((problem) => problem.field.endsWith('.enabled')) : undefined;

  return (
    <Dialog
      title={editing ? t('vnet.editTitle', { name: editing }) : t('vnet.createTitle')}
      onClose={onClose}
      size="large"
      testId="network-form"
      dismissOnBackdrop={false}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button button-primary" data-testid="network-form-ok" onClick={submit}>
            {editing ? t('vnet.save') : t('vnet.create')}
          </button>
        </>
      }
    >
      <form
        className="dialog-stack network-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="form-section">
          <div className="form-section-body">
            <div className="form-row form-row-even">
              <FormField id="network-name" label={t('vnet.field.name')} field="name" errorTestId="network-error-name" error={errorOf('name', form.name !== initial.name)}>
                <input className="input mono" data-testid="network-name" data-autofocus={editing ? undefined : true} value={form.name} disabled={editing !== undefined} maxLength={60} onChange={(event) => update({ name: event.target.value })} />
              </FormField>
              <FormField id="network-bridge" label={t('vnet.field.bridge')} field="bridge" errorTestId="network-error-bridge" error={errorOf('bridge', form.bridge !== initial.bridge)} hint={t('vnet.field.bridgeHint')}>
                <input className="input mono" data-testid="network-bridge" value={form.bridge} maxLength={20} onChange={(event) => update({ bridge: event.target.value })} />
              </FormField>
            </div>
            <fieldset className="choice-list" data-testid="network-kinds">
              <legend>{t('vnet.field.kind')}</legend>
              {KINDS.map((kind) => (
                <label key={kind} className="choice" data-testid={`network-kind-${kind}`}>
                  <input type="radio" name="network-kind" value={kind} checked={form.kind === kind} onChange={() => update({ kind })} />
                  <span className="choice-text">
                    <span>{t(`vnet.kind.${kind}`)}</span>
                    <span className="choice-hint">{t(`vnet.kindHint.${kind}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          </div>
        </div>
        <IpSection family="ipv4" form={form.ipv4} errorOf={errorOf} onChange={(ipv4) => update({ ipv4 })} />
        <IpSection family="ipv6" form={form.ipv6} errorOf={errorOf} onChange={(ipv6) => update({ ipv6 })} />
        {formError && (
          <p className="field-error" role="alert" data-testid="network-error-addresses">
            {t(`vnet.problem.${formError.code}` as MessageKey)}
          </p>
        )}
        <div className="form-section">
          <h2 className="form-section-title">{t('vnet.section.dns')}</h2>
          <div className="form-section-body">
            <FormField id="network-domain" label={t('vnet.field.domain')} field="domain" errorTestId="network-error-domain" error={errorOf('domain')} hint={t('vnet.field.domainHint')}>
              <input className="input mono" data-testid="network-domain" value={form.domain} maxLength={253} placeholder="lab.example" onChange={(event) => update({ domain: event.target.value })} />
            </FormField>
          </div>
        </div>
        <div className="form-section">
          <h2 className="form-section-title">{t('vnet.section.pxe')}</h2>
          <div className="form-section-body">
            <CheckboxField id="network-pxe" testId="network-pxe" label={t('vnet.field.pxe')} hint={t('vnet.field.pxeHint')} checked={form.pxe} onChange={(pxe) => update({ pxe })} />
            {errorOf('pxe.enabled') && (
              <p className="field-error" role="alert" data-testid="network-error-pxe">
                {errorOf('pxe.enabled')}
              </p>
            )}
            {form.pxe && (
              <div className="form-row form-row-even">
                <FormField id="network-tftp-root" label={t('vnet.field.tftpRoot')} field="pxe.tftpRoot" errorTestId="network-error-tftp-root" error={errorOf('pxe.tftpRoot')} hint={t('vnet.field.tftpRootHint')}>
                  <input className="input mono" data-testid="network-tftp-root" value={form.tftpRoot} placeholder="/srv/tftp" onChange={(event) => update({ tftpRoot: event.target.value })} />
                </FormField>
                <FormField id="network-boot-file" label={t('vnet.field.bootFile')} field="pxe.bootFile" errorTestId="network-error-boot-file" error={errorOf('pxe.bootFile')}>
                  <input className="input mono" data-testid="network-boot-file" value={form.bootFile} onChange={(event) => update({ bootFile: event.target.value })} />
                </FormField>
              </div>
            )}
          </div>
        </div>
        <div className="form-section">
          <div className="form-section-body">
            <CheckboxField id="network-autostart" testId="network-autostart" label={t('vnet.field.autostart')} checked={form.autostart} onChange={(autostart) => update({ autostart })} />
            {!editing && <CheckboxField id="network-start" testId="network-start" label={t('vnet.field.start')} checked={start} onChange={setStart} />}
          </div>
        </div>
        {submitted && problems.length > 0 && (
          <p className="field-error" role="alert" data-testid="network-form-invalid">
            {t('vnet.formInvalid')}
          </p>
        )}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

function IpSection({ family, form, errorOf, onChange }: { family: 'ipv4' | 'ipv6'; form: IpForm; errorOf(field: string): string | undefined; onChange(form: IpForm): void }) {
  const t = useT();
  const id = (field: string) => `network-${family}-${field}`;
  const error = (field: string) => errorOf(`${family}.${field}`);
  const update = (change: Partial<IpForm>) => onChange({ ...form, ...change });
  const setHost = (index: number, change: Partial<IpForm['hosts'][number]>) => update({ hosts: form.hosts.map((host, at) => (at === index ? { ...host, ...change } : host)) });
  return (
    <div className="form-section" data-testid={`network-${family}`}>
      <h2 className="form-section-title">{t(`vnet.section.${family}`)}</h2>
      <div className="form-section-body">
        <CheckboxField
          id={id('enabled')}
          testId={id('enabled')}
          label={t(`vnet.field.${family}Enabled`)}
          checked={form.enabled}
          onChange={(enabled) => update(enabled && form.address === '' ? { enabled, prefix: family === 'ipv4' ? '24' : '64' } : { enabled })}
        />
        {form.enabled && (
          <>
            <div className="form-row">
              <FormField id={id('address')} label={t('vnet.field.address')} field={`${family}.address`} errorTestId={`${id('address')}-error`} error={error('address')} hint={t(`vnet.field.${family}AddressHint`)}>
                <input className="input mono" data-testid={id('address')} value={form.address} placeholder={family === 'ipv4' ? '192.168.100.1' : 'fd00:100::1'} onChange={(event) => update({ address: event.target.value })} />
              </FormField>
              <FormField id={id('prefix')} label={t('vnet.field.prefix')} field={`${family}.prefix`} errorTestId={`${id('prefix')}-error`} error={error('prefix')}>
                <input className="input mono" data-testid={id('prefix')} inputMode="numeric" value={form.prefix} onChange={(event) => update({ prefix: event.target.value })} />
              </FormField>
            </div>
            <CheckboxField id={id('dhcp')} testId={id('dhcp')} label={t('vnet.field.dhcp')} checked={form.dhcp} onChange={(dhcp) => update({ dhcp })} />
            {form.dhcp && (
              <div className="form-row form-row-even">
                <FormField id={id('dhcp-start')} label={t('vnet.field.dhcpStart')} field={`${family}.dhcpStart`} errorTestId={`${id('dhcp-start')}-error`} error={error('dhcpStart')}>
                  <input className="input mono" data-testid={id('dhcp-start')} value={form.dhcpStart} onChange={(event) => update({ dhcpStart: event.target.value })} />
                </FormField>
                <FormField id={id('dhcp-end')} label={t('vnet.field.dhcpEnd')} field={`${family}.dhcpEnd`} errorTestId={`${id('dhcp-end')}-error`} error={error('dhcpEnd')}>
                  <input className="input mono" data-testid={id('dhcp-end')} value={form.dhcpEnd} onChange={(event) => update({ dhcpEnd: event.target.value })} />
                </FormField>
              </div>
            )}
            <div className="network-hosts" data-testid={id('hosts')}>
              <p className="field-label">{t('vnet.field.hosts')}</p>
              {form.hosts.length === 0 && <p className="muted">{t(`vnet.noHosts.${family}`)}</p>}
              {form.hosts.map((host, index) => (
                <div className="network-host-row" key={index} data-testid={`${id('host')}-${index}`}>
                  {family === 'ipv4' && (
                    <FormField id={`${id('host')}-${index}-mac`} label={t('vnet.field.hostMac')} field={`${family}.hosts.${index}.mac`} errorTestId={`${id('host')}-${index}-mac-error`} error={error(`hosts.${index}.mac`)}>
                      <input className="input mono" data-testid={`${id('host')}-${index}-mac`} value={host.mac ?? ''} placeholder="52:54:00:12:34:56" onChange={(event) => setHost(index, { mac: event.target.value })} />
                    </FormField>
                  )}
                  <FormField id={`${id('host')}-${index}-name`} label={t('vnet.field.hostName')} field={`${family}.hosts.${index}.name`} errorTestId={`${id('host')}-${index}-name-error`} error={error(`hosts.${index}.name`)}>
                    <input className="input mono" data-testid={`${id('host')}-${index}-name`} value={host.name ?? ''} onChange={(event) => setHost(index, { name: event.target.value })} />
                  </FormField>
                  <FormField id={`${id('host')}-${index}-ip`} label={t('vnet.field.hostIp')} field={`${family}.hosts.${index}.ip`} errorTestId={`${id('host')}-${index}-ip-error`} error={error(`hosts.${index}.ip`)}>
                    <input className="input mono" data-testid={`${id('host')}-${index}-ip`} value={host.ip} onChange={(event) => setHost(index, { ip: event.target.value })} />
                  </FormField>
                  <button type="button" className="icon-button network-host-remove" aria-label={t('vnet.removeHost')} title={t('vnet.removeHost')} data-testid={`${id('host')}-${index}-remove`} onClick={() => update({ hosts: form.hosts.filter((_, at) => at !== index) })}>
                    <Icon name="close" size={14} />
                  </button>
                </div>
              ))}
              <div>
                <button type="button" className="button" data-testid={id('host-add')} onClick={() => update({ hosts: [...form.hosts, family === 'ipv4' ? { mac: '', name: '', ip: '' } : { name: '', ip: '' }] })}>
                  <Icon name="plus" size={14} />
                  {t('vnet.addHost')}
                </button>
              </div>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

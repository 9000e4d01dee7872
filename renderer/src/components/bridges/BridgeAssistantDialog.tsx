/**
 * The bridge assistant: a plan for one uplink (refused in the form with the reason), the exact
 * change as a diff and the commands, then apply behind the host's own rollback, and the
 * outcome in words. Nothing changes on the host before Apply.
 */
import { useMemo, useState } from 'react';
import {
  bridgePlanProblems,
  proposeBridgePlan,
  type BridgeOutcome,
  type BridgePlan,
  type BridgePreview,
  type HostInterface,
  type HostInterfacesInfo,
  type PlanProblem,
} from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { useT } from '../../i18n/useT.js';
import type { Translator } from '../../i18n/translate.js';
import { requireClient } from '../../store/connectionStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { CheckboxField, FormField } from '../common/FormField.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { BridgeOutcomeNotice, PreviewView } from './BridgeViews.js';
import { GuestMovePanel } from './GuestMovePanel.js';
import '../common/forms.css';

type Step = { kind: 'plan' } | { kind: 'preview'; preview: BridgePreview } | { kind: 'applying' } | { kind: 'done'; outcome: BridgeOutcome };

const list = (text: string) => text.split(/[\s,]+/).filter((s) => s !== '');

export function problemText(problem: PlanProblem, t: Translator): string {
  return t(`hostnet.problem.${problem.code}`, { detail: problem.detail ?? '' });
}

export function BridgeAssistantDialog({ hostId, info, uplink, onClose }: { hostId: string; info: HostInterfacesInfo; uplink: HostInterface; onClose(): void }) {
  const t = useT();
  const [plan, setPlan] = useState<BridgePlan>(() => proposeBridgePlan(uplink, info.interfaces, info.dns));
  const [v4Text, setV4Text] = useState(plan.ipv4.addresses.join(', '));
  const [v6Text, setV6Text] = useState(plan.ipv6.addresses.join(', '));
  const [dnsText, setDnsText] = useState(plan.dns.join(', '));
  const [step, setStep] = useState<Step>({ kind: 'plan' });
  const [error, setError] = useState<ErrorInfo>();
  const [busy, setBusy] = useState(false);
  const finding = info.stacks[uplink.name];

  const current: BridgePlan = useMemo(
    () => ({ ...plan, ipv4: { ...plan.ipv4, addresses: list(v4Text) }, ipv6: { ...plan.ipv6, addresses: list(v6Text) }, dns: list(dnsText) }),
    [plan, v4Text, v6Text, dnsText],
  );
  const problems = bridgePlanProblems(current, {
    interfaces: info.interfaces,
    ...(finding?.stack && finding.stack !== 'ovs' ? { stack: finding.stack } : {}),
    ...(info.rollback ? { rollback: info.rollback } : {}),
    ...(info.privilegeProblem ? { privilegeProblem: info.privilegeProblem } : {}),
    ovsAvailable: false,
  });
  const fieldError = (field: string) => {
    const p = problems.find((x) => x.field === field);
    return p ? problemText(p, t) : undefined;
  };
  const hostProblems = problems.filter((p) => ['stack', 'rollback', 'privilege', 'iface'].includes(p.field));

  const preview = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setStep({ kind: 'preview', preview: await requireClient().call('hostnet.bridge.preview', { hostId, plan: current }) });
    } catch (err) {
      setError(toErrorInfo(err));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    setStep({ kind: 'applying' });
    setError(undefined);
    try {
      setStep({ kind: 'done', outcome: await requireClient().call('hostnet.bridge.apply', { hostId, plan: current }) });
    } catch (err) {
      setError(toErrorInfo(err));
      setStep({ kind: 'plan' });
    }
  };

  const footer =
    step.kind === 'plan' ? (
      <>
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button-primary" data-testid="bridge-preview" disabled={problems.length > 0 || busy} onClick={() => void preview()}>
          {t('hostnet.preview')}
        </button>
      </>
    ) : step.kind === 'preview' ? (
      <>
        <button type="button" className="button" onClick={() => setStep({ kind: 'plan' })}>
          {t('hostnet.back')}
        </button>
        <button type="button" className="button button-primary" data-testid="bridge-apply" disabled={step.preview.problems.length > 0} onClick={() => void apply()}>
          {t('hostnet.apply', { seconds: current.rollbackSeconds })}
        </button>
      </>
    ) : step.kind === 'done' ? (
      <button type="button" className="button button-primary" data-testid="bridge-close" onClick={onClose}>
        {t('common.close')}
      </button>
    ) : null;

  return (
    <Dialog title={t('hostnet.assistantTitle', { iface: uplink.name })} onClose={step.kind === 'applying' ? () => undefined : onClose} size="wide" testId="bridge-assistant" dismissOnBackdrop={false} closable={step.kind !== 'applying'} footer={footer}>
      {error && <ErrorNotice title={t('hostnet.applyFailed')} error={error} />}
      {step.kind === 'plan' && (
        <div className="bridge-form">
          <p className="muted" data-testid="bridge-stack">
            {finding?.stack ? t('hostnet.stackIs', { stack: t(`hostnet.stack.${finding.stack}`) }) : t('hostnet.noStack')} {finding?.evidence}
          </p>
          {hostProblems.map((p) => (
            <div key={p.code} className="callout callout-danger" role="alert" data-testid={`bridge-problem-${p.code}`}>
              <Icon name="alertCircle" className="callout-icon" />
              <div className="callout-body">
                <p>{problemText(p, t)}</p>
              </div>
            </div>
          ))}
          {info.sessionInterface === uplink.name && (
            <div className="callout callout-info" role="status">
              <Icon name="info" className="callout-icon" />
              <div className="callout-body">
                <p>{t('hostnet.carriesSession', { seconds: current.rollbackSeconds })}</p>
              </div>
            </div>
          )}
          {info.brNetfilter && <p className="callout callout-warn">{t('hostnet.brNetfilter')}</p>}
          <div className="bridge-grid">
            <FormField id="bridge-name" label={t('hostnet.field.bridge')} field="bridge" errorTestId="bridge-error-bridge" error={fieldError('bridge')}>
              <input className="input mono" data-testid="bridge-name" value={plan.bridge} onChange={(e) => setPlan({ ...plan, bridge: e.target.value.trim() })} />
            </FormField>
            <FormField id="bridge-mac" label={t('hostnet.field.mac')} hint={t('hostnet.macHint')} field="mac" errorTestId="bridge-error-mac" error={fieldError('mac')}>
              <input className="input mono" value={plan.mac} onChange={(e) => setPlan({ ...plan, mac: e.target.value.trim() })} />
            </FormField>
            <CheckboxField id="bridge-stp" label={t('hostnet.field.stp')} hint={t('hostnet.stpHint')} checked={plan.stp} onChange={(stp) => setPlan({ ...plan, stp })} />
            <FormField id="bridge-fd" label={t('hostnet.field.forwardDelay')} field="forwardDelay" errorTestId="bridge-error-fd" error={fieldError('forwardDelay')}>
              <input className="input" type="number" min={0} max={30} value={plan.forwardDelay} onChange={(e) => setPlan({ ...plan, forwardDelay: Number(e.target.value) })} />
            </FormField>
            <FormField id="bridge-v4mode" label={t('hostnet.field.ipv4')} field="ipv4.mode" errorTestId="bridge-error-v4mode">
              <select className="input" data-testid="bridge-v4mode" value={plan.ipv4.mode} onChange={(e) => setPlan({ ...plan, ipv4: { ...plan.ipv4, mode: e.target.value as BridgePlan['ipv4']['mode'] } })}>
                <option value="static">{t('hostnet.mode.static')}</option>
                <option value="dhcp">{t('hostnet.mode.dhcp')}</option>
                <option value="none">{t('hostnet.mode.none')}</option>
              </select>
            </FormField>
            {plan.ipv4.mode === 'static' && (
              <>
                <FormField id="bridge-v4addr" label={t('hostnet.field.addresses')} hint={t('hostnet.addressesHint')} field="ipv4.addresses" errorTestId="bridge-error-v4addr" error={fieldError('ipv4.addresses')}>
                  <input className="input mono" data-testid="bridge-v4addr" value={v4Text} onChange={(e) => setV4Text(e.target.value)} />
                </FormField>
                <FormField id="bridge-v4gw" label={t('hostnet.field.gateway')} field="ipv4.gateway" errorTestId="bridge-error-v4gw" error={fieldError('ipv4.gateway')}>
                  <input className="input mono" data-testid="bridge-v4gw" value={plan.ipv4.gateway} onChange={(e) => setPlan({ ...plan, ipv4: { ...plan.ipv4, gateway: e.target.value.trim() } })} />
                </FormField>
              </>
            )}
            <FormField id="bridge-v6mode" label={t('hostnet.field.ipv6')} field="ipv6.mode" errorTestId="bridge-error-v6mode">
              <select className="input" value={plan.ipv6.mode} onChange={(e) => setPlan({ ...plan, ipv6: { ...plan.ipv6, mode: e.target.value as BridgePlan['ipv6']['mode'] } })}>
                <option value="auto">{t('hostnet.mode.auto')}</option>
                <option value="static">{t('hostnet.mode.static')}</option>
                <option value="dhcp">{t('hostnet.mode.dhcp')}</option>
                <option value="none">{t('hostnet.mode.none')}</option>
              </select>
            </FormField>
            {plan.ipv6.mode === 'static' && (
              <FormField id="bridge-v6addr" label={t('hostnet.field.addresses')} field="ipv6.addresses" errorTestId="bridge-error-v6addr" error={fieldError('ipv6.addresses')}>
                <input className="input mono" value={v6Text} onChange={(e) => setV6Text(e.target.value)} />
              </FormField>
            )}
            <FormField id="bridge-dns" label={t('hostnet.field.dns')} field="dns" errorTestId="bridge-error-dns" error={fieldError('dns')}>
              <input className="input mono" value={dnsText} onChange={(e) => setDnsText(e.target.value)} />
            </FormField>
            <FormField id="bridge-rollback" label={t('hostnet.field.rollback')} hint={t('hostnet.rollbackHint')} field="rollbackSeconds" errorTestId="bridge-error-rollback" error={fieldError('rollbackSeconds')}>
              <input className="input" type="number" data-testid="bridge-rollback" value={plan.rollbackSeconds} onChange={(e) => setPlan({ ...plan, rollbackSeconds: Number(e.target.value) })} />
            </FormField>
          </div>
        </div>
      )}
      {step.kind === 'preview' && <PreviewView preview={step.preview} />}
      {step.kind === 'applying' && (
        <div data-testid="bridge-applying">
          <Spinner label={t('hostnet.applying', { seconds: current.rollbackSeconds })} />
        </div>
      )}
      {step.kind === 'done' && <BridgeOutcomeNotice outcome={step.outcome} bridge={current.bridge} iface={current.iface} action="create" />}
      {step.kind === 'done' && step.outcome.outcome === 'committed' && <GuestMovePanel hostId={hostId} bridge={current.bridge} />}
    </Dialog>
  );
}

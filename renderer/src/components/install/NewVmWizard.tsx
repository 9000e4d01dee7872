/**
 * "New VM…" (issue 10): a wizard over pages Host → Source → Operating system → Resources →
 * Storage → Network → Summary. Every move on asks main for a preview of the plan; its problems
 * show on the page they belong to and hold Next and Create back, its warnings only advise.
 * Create is one task on main; a failed step is named and the wizard goes to the page to fix.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { InstallHostFacts, OsChoice, SourceProblem, WizardPreview } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { formatBytes } from '../../format/formatBytes.js';
import { hostDisplayName } from '../../i18n/hostDisplayName.js';
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { installCall } from './installClient.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { Dialog } from '../dialogs/Dialog.js';
import { requestVmSection } from './requestedSection.js';
import { NetworkPage, OsPage, ResourcesPage, StoragePage, wizardProblemText } from './WizardPages.js';
import { SourcePage, type SourceFindings } from './WizardSourcePage.js';
import { SummaryPage } from './WizardSummaryPage.js';
import { applyOsDefaults, initialForm, loadRemembered, localGaps, PAGES, pageOfProblem, saveRemembered, sourceKindsFor, specOf, type PageId, type WizardForm } from './wizardModel.js';
import '../common/details.css';
import '../vms/vmManage.css';
import './install.css';

export function sourceProblemText(t: ReturnType<typeof useT>, problem: SourceProblem): string {
  return t.dynamic(`install.sourceError.${problem.reason}`, problem.params);
}

/** Problems a page shows at the field they are about (not again in the page's notes). */
const FIELD_PROBLEMS = new Set(['nameEmpty', 'nameInvalid', 'nameTaken', 'memoryBeyondHost', 'memoryTooSmall', 'vcpusTooFew', 'diskBeyondPool', 'uefiMissing']);

/** The problems and warnings of one page, under its fields. */
export function PageNotes({ preview, page }: { preview: WizardPreview | undefined; page: PageId }) {
  const t = useT();
  if (!preview) return null;
  const problems = preview.problems.filter((problem) => pageOfProblem(problem.page) === page && !FIELD_PROBLEMS.has(problem.key));
  const warnings = preview.warnings.filter((warning) => pageOfProblem(warning.page) === page);
  if (problems.length === 0 && warnings.length === 0) return null;
  return (
    <div className="wizard-notes">
      {problems.map((problem) => (
        <p key={`p-${problem.key}`} className="field-error" role="alert" data-testid="wizard-problem" data-key={problem.key}>
          {wizardProblemText(t, problem)}
        </p>
      ))}
      {warnings.map((warning) => (
        <div key={`w-${warning.key}`} className="callout callout-warn" data-testid="wizard-warning" data-key={warning.key}>
          <Icon name="alert" className="callout-icon" />
          <div className="callout-body">
            <p>{wizardProblemText(t, warning)}</p>
          </div>
        </div>
      ))}
    </div>
  );
}

interface Loaded {
  hostId: string;
  facts: InstallHostFacts;
  osList: OsChoice[];
}

export function NewVmWizard({ hostId: initialHost, onClose }: { hostId: string | null; onClose(): void }) {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const connected = useMemo(() => hosts.filter((host) => host.status === 'connected'), [hosts]);
  const [hostId, setHostId] = useState<string>(() => (initialHost && connected.some((host) => host.id === initialHost) ? initialHost : (connected[0]?.id ?? '')));
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [loadError, setLoadError] = useState<ErrorInfo | undefined>();
  const [form, setForm] = useState<WizardForm | undefined>();
  const [pageIndex, setPageIndex] = useState(0);
  const [preview, setPreview] = useState<WizardPreview | undefined>();
  const [findings, setFindings] = useState<SourceFindings>({});
  const [busy, setBusy] = useState(false);
  const [start, setStart] = useState(true);
  const [openConsole, setOpenConsole] = useState(true);
  const [createFailure, setCreateFailure] = useState<{ step: string; message: string; sourceProblem?: SourceProblem } | undefined>();
  const [callError, setCallError] = useState<ErrorInfo | undefined>();
  const previewSeq = useRef(0);
  const page = PAGES[pageIndex]!;

  const loadHost = useCallback((id: string) => {
    if (!id) return;
    setLoaded(undefined);
    setLoadError(undefined);
    setPreview(undefined);
    setFindings({});
    Promise.all([installCall('install.hostFacts', { hostId: id }), installCall('install.osList', { hostId: id })]).then(
      ([facts, osList]) => {
        setLoaded({ hostId: id, facts, osList });
        const remembered = loadRemembered(id);
        const base = initialForm(facts, remembered);
        const os = osList.find((candidate) => candidate.id === base.osId);
        setForm(applyOsDefaults(base, os, facts.uefiAvailable));
      },
      (failure: unknown) => setLoadError(toErrorInfo(failure)),
    );
  }, []);

  useEffect(() => loadHost(hostId), [hostId, loadHost]);

  const reloadFacts = useCallback(() => {
    if (!loaded) return;
    void installCall('install.hostFacts', { hostId: loaded.hostId })
      .then((facts) => setLoaded((current) => (current ? { ...current, facts } : current)));
  }, [loaded]);

  const runPreview = useCallback(async (current: WizardForm): Promise<WizardPreview | undefined> => {
    if (!loaded) return undefined;
    const seq = ++previewSeq.current;
    try {
      const result = await installCall('install.preview', { hostId: loaded.hostId, spec: specOf(current) });
      if (seq === previewSeq.current) {
        setPreview(result);
        setCallError(undefined);
      }
      return result;
    } catch (failure) {
      if (seq === previewSeq.current) setCallError(toErrorInfo(failure));
      return undefined;
    }
  }, [loaded]);

  // The preview follows the form as it settles (the summary's XML, each page's problems).
  // Not while the source page still lacks its source: a spec without one is no plan to check.
  useEffect(() => {
    if (!form || !loaded || pageIndex === 0) return undefined;
    if (PAGES[pageIndex] === 'source' && localGaps(form, 'source').length > 0) return undefined;
    const timer = setTimeout(() => void runPreview(form), 300);
    return () => clearTimeout(timer);
  }, [form, loaded, pageIndex, runPreview]);

  const update = useCallback((change: (current: WizardForm) => WizardForm) => setForm((current) => (current ? change(current) : current)), []);

  /** Source checks that need the host: a tree's layout, an ISO's contents. */
  const checkSource = async (current: WizardForm): Promise<WizardForm | undefined> => {
    if (!loaded) return undefined;
    if (current.sourceKind === 'url') {
      const result = await installCall('install.detectTree', { hostId: loaded.hostId, url: current.url.trim(), arch: current.arch });
      if (!result.ok) {
        setFindings({ problem: result.problem });
        return undefined;
      }
      setFindings({ tree: result.tree });
      const os = result.tree.osId ? loaded.osList.find((candidate) => candidate.id === result.tree.osId) : undefined;
      return os ? applyOsDefaults(current, os, loaded.facts.uefiAvailable) : current;
    }
    if (current.sourceKind === 'iso' || current.sourceKind === 'upload' || current.sourceKind === 'download') {
      const result = await installCall('install.inspectIso', { hostId: loaded.hostId, path: current.isoPath.trim() });
      if (!result.ok) {
        setFindings({ problem: result.problem });
        return undefined;
      }
      setFindings({ iso: result.iso });
      const os = result.iso.osId ? loaded.osList.find((candidate) => candidate.id === result.iso.osId) : undefined;
      return os ? applyOsDefaults(current, os, loaded.facts.uefiAvailable) : current;
    }
    setFindings({});
    return current;
  };

  const next = async () => {
    if (!form || !loaded) return;
    // The host page has nothing main checks, and the source chosen last time may still be empty.
    if (page === 'host') {
      setPageIndex(1);
      return;
    }
    setBusy(true);
    try {
      let current = form;
      if (page === 'source') {
        const checked = await checkSource(current);
        if (!checked) return;
        current = checked;
        setForm(checked);
      }
      const result = await runPreview(current);
      if (!result) return;
      const here = result.problems.filter((problem) => pageOfProblem(problem.page) === page);
      if (here.length === 0) setPageIndex((index) => Math.min(index + 1, PAGES.length - 1));
    } catch (failure) {
      setCallError(toErrorInfo(failure));
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    if (!form || !loaded) return;
    setBusy(true);
    setCreateFailure(undefined);
    try {
      const checked = await runPreview(form);
      if (!checked) return;
      const first = checked.problems[0];
      if (first) {
        setPageIndex(PAGES.indexOf(pageOfProblem(first.page)));
        return;
      }
      const result = await installCall('install.create', { hostId: loaded.hostId, spec: specOf(form), start });
      void refreshInventory(loaded.hostId);
      if (!result.ok) {
        setCreateFailure({ step: result.step, message: result.message, sourceProblem: result.sourceProblem });
        if (result.problems.length > 0) setPreview((current) => ({ ...(current ?? { warnings: [] }), problems: result.problems }));
        const target = result.problems[0] ? pageOfProblem(result.problems[0].page) : result.sourceProblem ? 'source' : undefined;
        if (target) setPageIndex(PAGES.indexOf(target));
        return;
      }
      saveRemembered(loaded.hostId, form);
      if (openConsole && result.started) requestVmSection(loaded.hostId, result.name, 'console');
      useUiStore.getState().openTab({ kind: 'vm', hostId: loaded.hostId, name: result.name });
      onClose();
    } catch (failure) {
      setCallError(toErrorInfo(failure));
    } finally {
      setBusy(false);
    }
  };

  const facts = loaded?.facts;
  const pageProblems = preview?.problems.filter((problem) => pageOfProblem(problem.page) === page) ?? [];
  const gaps = form && page !== 'host' ? localGaps(form, page) : [];
  const blocked = busy || !form || !facts || gaps.length > 0 || (page !== 'source' && pageProblems.length > 0);
  const kinds = facts ? sourceKindsFor(facts) : [];
  const host = hosts.find((candidate) => candidate.id === hostId);

  let body;
  if (connected.length === 0) body = <p className="muted" data-testid="wizard-no-host">{t('install.wizard.noHost')}</p>;
  else if (loadError) body = <ErrorNotice title={t('install.wizard.factsFailed')} error={loadError} />;
  else if (!form || !facts || !loaded) body = <div className="wizard-loading"><Spinner /> {t('install.wizard.loading')}</div>;
  else if (facts && kinds.length === 0) body = <p className="muted" data-testid="wizard-unsupported">{t('install.wizard.unsupportedHost')}</p>;
  else {
    switch (page) {
      case 'host':
        body = (
          <div className="dialog-stack">
            <div className="field">
              <label className="field-label" htmlFor="wizard-host">{t('install.field.host')}</label>
              <select id="wizard-host" className="select" data-testid="wizard-host" data-autofocus value={hostId} onChange={(event) => setHostId(event.target.value)}>
                {connected.map((candidate) => (
                  <option key={candidate.id} value={candidate.id}>{hostDisplayName(candidate, t)}</option>
                ))}
              </select>
            </div>
            <dl className="wizard-facts">
              <dt>{t('install.fact.memory')}</dt>
              <dd>{t('install.fact.memoryValue', { free: formatBytes(facts.freeMemoryMiB * 1024 ** 2, t.language), total: formatBytes(facts.hostMemoryMiB * 1024 ** 2, t.language) })}</dd>
              <dt>{t('install.fact.threads')}</dt>
              <dd>{facts.hostThreads}</dd>
              <dt>{t('install.fact.guestTypes')}</dt>
              <dd>{[...new Set(facts.domainTypes.map((entry) => entry.type))].join(', ')}</dd>
              <dt>{t('install.fact.pools')}</dt>
              <dd>{facts.pools.filter((pool) => pool.active).map((pool) => pool.name).join(', ') || t('install.fact.none')}</dd>
              <dt>{t('install.fact.networks')}</dt>
              <dd>{facts.networks.filter((network) => network.active).map((network) => network.name).join(', ') || t('install.fact.none')}</dd>
            </dl>
            {!facts.kvmUsable && (
              <div className="callout callout-warn" data-testid="wizard-no-kvm">
                <Icon name="alert" className="callout-icon" />
                <div className="callout-body"><p>{t('install.wizard.noKvm')}</p></div>
              </div>
            )}
          </div>
        );
        break;
      case 'source':
        body = <SourcePage hostId={loaded.hostId} facts={facts} kinds={kinds} form={form} update={update} findings={findings} setFindings={setFindings} onFactsChanged={reloadFacts} preview={preview} />;
        break;
      case 'os':
        body = <OsPage form={form} osList={loaded.osList} facts={facts} update={update} preview={preview} />;
        break;
      case 'resources':
        body = <ResourcesPage form={form} facts={facts} update={update} preview={preview} />;
        break;
      case 'storage':
        body = <StoragePage form={form} facts={facts} update={update} preview={preview} />;
        break;
      case 'network':
        body = <NetworkPage form={form} facts={facts} update={update} preview={preview} />;
        break;
      case 'summary':
        body = <SummaryPage form={form} facts={facts} update={update} preview={preview} osList={loaded.osList} start={start} setStart={setStart} openConsole={openConsole} setOpenConsole={setOpenConsole} />;
        break;
    }
  }

  const last = pageIndex === PAGES.length - 1;
  return (
    <Dialog
      title={host ? t('install.wizard.titleOn', { host: hostDisplayName(host, t) }) : t('install.wizard.title')}
      onClose={onClose}
      size="wide"
      testId="new-vm-wizard"
      dismissOnBackdrop={false}
      data={{ 'data-page': page }}
      headerExtra={<span className="muted wizard-step-count">{t('install.wizard.stepOf', { step: pageIndex + 1, count: PAGES.length })}</span>}
      footer={
        <>
          <button type="button" className="button" data-testid="wizard-cancel" onClick={onClose}>{t('common.cancel')}</button>
          <span className="wizard-footer-gap" />
          {busy && <Spinner size="small" />}
          <button type="button" className="button" data-testid="wizard-back" disabled={pageIndex === 0 || busy} onClick={() => setPageIndex((index) => Math.max(0, index - 1))}>{t('install.wizard.back')}</button>
          {last ? (
            <button type="button" className="button button-primary" data-testid="wizard-create" disabled={blocked || preview?.problems.length !== 0} onClick={() => void create()}>
              <Icon name="plus" size={14} />
              {t('install.wizard.create')}
            </button>
          ) : (
            <button type="button" className="button button-primary" data-testid="wizard-next" disabled={blocked} onClick={() => void next()}>{t('install.wizard.next')}</button>
          )}
        </>
      }
    >
      <div className="wizard">
        <nav className="wizard-steps" aria-label={t('install.wizard.stepsLabel')}>
          <ol>
            {PAGES.map((id, index) => {
              const bad = preview?.problems.some((problem) => pageOfProblem(problem.page) === id) ?? false;
              return (
                <li key={id}>
                  <button
                    type="button"
                    className={`wizard-step${index === pageIndex ? ' active' : ''}${bad ? ' invalid' : ''}`}
                    aria-current={index === pageIndex ? 'step' : undefined}
                    data-testid={`wizard-step-${id}`}
                    disabled={index > pageIndex || busy || !form}
                    onClick={() => setPageIndex(index)}
                  >
                    <span className="wizard-step-number">{index + 1}</span>
                    {t(`install.page.${id}` as MessageKey)}
                  </button>
                </li>
              );
            })}
          </ol>
        </nav>
        <section className="wizard-page" data-testid={`wizard-page-${page}`} aria-label={t(`install.page.${page}` as MessageKey)}>
          <h3 className="wizard-page-title">{t(`install.page.${page}` as MessageKey)}</h3>
          {body}
          {page !== 'host' && page !== 'source' && form && <PageNotes preview={preview} page={page} />}
          {createFailure && (
            <div className="callout callout-danger" role="alert" data-testid="wizard-create-failed" data-step={createFailure.step}>
              <Icon name="alertCircle" className="callout-icon" />
              <div className="callout-body">
                <p className="callout-title">{t('install.wizard.createFailed', { step: t.dynamic(`install.step.${createFailure.step}`) })}</p>
                <p>{createFailure.sourceProblem ? sourceProblemText(t, createFailure.sourceProblem) : createFailure.message}</p>
                <p className="muted">{t('install.wizard.undone')}</p>
              </div>
            </div>
          )}
          {busy && page === 'summary' && (
            <p className="muted" data-testid="wizard-creating">
              {t('install.wizard.creating')}{' '}
              <button type="button" className="link-button" onClick={() => useUiStore.getState().setTaskPopoverOpen(true)}>{t('install.wizard.showTasks')}</button>
            </p>
          )}
          {callError && <ErrorNotice title={t('install.wizard.callFailed')} error={callError} />}
        </section>
      </div>
    </Dialog>
  );
}

/** The wizard's last page: the VM's name, what will be created, the generated definitions. */
import type { OsChoice } from '../../../../preload/contract.js';
import { formatBytes } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { CheckboxField, FormField } from '../common/FormField.js';
import { useFieldProblem, type PageProps } from './WizardPages.js';
import { sourceBringsDisk, type WizardForm } from './wizardModel.js';

function sourceLine(t: ReturnType<typeof useT>, form: WizardForm): string {
  switch (form.sourceKind) {
    case 'iso':
    case 'upload':
    case 'download':
      return t('install.summary.sourceIso', { path: form.isoPath });
    case 'url':
      return t('install.summary.sourceUrl', { url: form.url.trim() });
    case 'pxe':
      return t('install.summary.sourcePxe');
    case 'import':
      return form.importConvert ? t('install.summary.sourceImportConvert', { path: form.importPath, pool: form.importPool, format: form.importFormat }) : t('install.summary.sourceImport', { path: form.importPath });
    case 'cloud':
      return t('install.summary.sourceCloud', { pool: form.cloudPool, volume: form.cloudVolume });
  }
}

function storageLine(t: ReturnType<typeof useT>, form: WizardForm): string {
  if (sourceBringsDisk(form.sourceKind)) return t('install.summary.diskFromSource');
  if (form.storageKind === 'new') return t('install.summary.diskNew', { size: form.diskGiB, pool: form.pool, format: form.format });
  if (form.storageKind === 'existing') return t('install.summary.diskExisting', { path: form.existingPath });
  return t('install.summary.diskNone');
}

function networkLine(t: ReturnType<typeof useT>, form: WizardForm): string {
  if (form.networkKind === 'network') return t('install.summary.nicNetwork', { name: form.network, model: form.nicModel });
  if (form.networkKind === 'bridge') return t('install.summary.nicBridge', { name: form.bridge, model: form.nicModel });
  if (form.networkKind === 'macvtap') return t('install.summary.nicMacvtap', { name: form.macvtapDevice, model: form.nicModel });
  return t('install.summary.nicNone');
}

export function SummaryPage({
  form,
  update,
  preview,
  osList,
  start,
  setStart,
  openConsole,
  setOpenConsole,
}: PageProps & { osList: readonly OsChoice[]; start: boolean; setStart(value: boolean): void; openConsole: boolean; setOpenConsole(value: boolean): void }) {
  const t = useT();
  const nameError = useFieldProblem(preview, ['nameEmpty', 'nameInvalid', 'nameTaken']);
  const os = osList.find((candidate) => candidate.id === form.osId);
  return (
    <div className="dialog-stack">
      <FormField id="wizard-name" label={t('install.field.name')} field="name" errorTestId="wizard-name-error" error={nameError}>
        <input className="input mono" data-testid="wizard-name" data-autofocus value={form.name} maxLength={200} onChange={(event) => update((current) => ({ ...current, name: event.target.value }))} />
      </FormField>
      <dl className="wizard-facts" data-testid="wizard-summary">
        <dt>{t('install.page.source')}</dt>
        <dd>{sourceLine(t, form)}</dd>
        <dt>{t('install.page.os')}</dt>
        <dd>{os?.name ?? t('install.os.generic')}</dd>
        <dt>{t('install.page.resources')}</dt>
        <dd>
          {t('install.summary.resources', {
            memory: formatBytes(form.memoryMiB * 1024 ** 2, t.language),
            vcpus: form.vcpus,
            firmware: t(`install.firmware.${form.firmware}`),
            type: t(`install.domainType.${form.domainType}`),
          })}
        </dd>
        <dt>{t('install.page.storage')}</dt>
        <dd>{storageLine(t, form)}</dd>
        <dt>{t('install.page.network')}</dt>
        <dd>{networkLine(t, form)}</dd>
      </dl>
      {preview?.installXml && (
        <details className="wizard-xml" data-testid="wizard-install-xml">
          <summary>{t('install.summary.installXml')}</summary>
          <pre className="detail-text mono">{preview.installXml}</pre>
        </details>
      )}
      {preview?.finalXml && (
        <details className="wizard-xml" data-testid="wizard-final-xml">
          <summary>{t('install.summary.finalXml')}</summary>
          <pre className="detail-text mono">{preview.finalXml}</pre>
        </details>
      )}
      <CheckboxField id="wizard-start" testId="wizard-start" label={t('install.field.start')} checked={start} onChange={setStart} />
      <CheckboxField id="wizard-open-console" testId="wizard-open-console" label={t('install.field.openConsole')} disabled={!start} checked={start && openConsole} onChange={setOpenConsole} />
    </div>
  );
}

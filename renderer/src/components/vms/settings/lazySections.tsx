/**
 * The Settings and XML sections as chunks of their own, loaded when first opened: the window's
 * first bundle carries neither the form nor the code editor.
 */
import { lazy, Suspense } from 'react';
import { useT } from '../../../i18n/useT.js';
import { Spinner } from '../../common/Spinner.js';
import type { VmSectionProps } from '../vmSections.js';

const Settings = lazy(() => import('./VmSettingsSection.js').then((module) => ({ default: module.VmSettingsSection })));
const Xml = lazy(() => import('../VmXmlEditor.js').then((module) => ({ default: module.VmXmlEditor })));

function Loading() {
  const t = useT();
  return (
    <section className="page-section">
      <p className="loading-line">
        <Spinner size="small" /> {t('vmSettings.loading')}
      </p>
    </section>
  );
}

export function LazyVmSettingsSection(props: VmSectionProps) {
  return (
    <Suspense fallback={<Loading />}>
      <Settings {...props} />
    </Suspense>
  );
}

export function LazyVmXmlEditor(props: VmSectionProps) {
  return (
    <Suspense fallback={<Loading />}>
      <Xml {...props} />
    </Suspense>
  );
}

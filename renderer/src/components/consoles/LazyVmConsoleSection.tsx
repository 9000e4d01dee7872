/** The Console section as a chunk of its own (xterm.js and noVNC load when it is first opened). */
import { lazy, Suspense } from 'react';
import { useT } from '../../i18n/useT.js';
import { Spinner } from '../common/Spinner.js';
import type { VmSectionProps } from '../vms/vmSections.js';

const Section = lazy(() => import('./VmConsoleSection.js').then((module) => ({ default: module.VmConsoleSection })));

export function LazyVmConsoleSection(props: VmSectionProps) {
  const t = useT();
  return (
    <Suspense
      fallback={
        <p className="loading-line">
          <Spinner size="small" /> {t('console.loading')}
        </p>
      }
    >
      <Section {...props} />
    </Suspense>
  );
}

/**
 * The section switcher of a tab (a VM's, a host's): a row of tabs, shown only when there is
 * more than one section, and the chosen section's panel.
 */
import type { ReactNode } from 'react';
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';

export interface SectionEntry {
  id: string;
  /** Catalog key of the section's name. */
  labelKey: MessageKey;
}

export function SectionSwitcher({
  sections,
  activeId,
  onSelect,
  labelKey,
  testIdPrefix,
  children,
}: {
  sections: readonly SectionEntry[];
  activeId: string;
  onSelect: (id: string) => void;
  /** Catalog key naming the whole set of sections, for assistive technology. */
  labelKey: MessageKey;
  /** data-testid of each tab is `${testIdPrefix}-${id}`; the panel's is `${testIdPrefix}`. */
  testIdPrefix: string;
  children: ReactNode;
}) {
  const t = useT();
  const several = sections.length > 1;
  return (
    <>
      {several && (
        <div className="section-switcher" role="tablist" aria-label={t(labelKey)}>
          {sections.map((candidate) => (
            <button
              key={candidate.id}
              type="button"
              role="tab"
              className={`section-switcher-item${candidate.id === activeId ? ' active' : ''}`}
              aria-selected={candidate.id === activeId}
              data-testid={`${testIdPrefix}-${candidate.id}`}
              onClick={() => onSelect(candidate.id)}
            >
              {t(candidate.labelKey)}
            </button>
          ))}
        </div>
      )}
      <div role={several ? 'tabpanel' : undefined} data-testid={testIdPrefix} data-section={activeId}>
        {children}
      </div>
    </>
  );
}

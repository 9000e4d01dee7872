/**
 * The sections of a VM's tab, in order. Each feature adds one entry here and keeps everything
 * else in its own files; the tab shows a section switcher when there is more than one.
 */
import type { ComponentType } from 'react';
import type { VmSummary } from '../../../../preload/contract.js';
import type { MessageKey } from '../../i18n/translate.js';
import { VmOverview } from './VmOverview.js';
import { VmSnapshots } from './VmSnapshots.js';
import { LazyVmConsoleSection } from '../consoles/LazyVmConsoleSection.js';
import { LazyVmSettingsSection, LazyVmXmlEditor } from './settings/lazySections.js';

export interface VmSectionProps {
  hostId: string;
  vm: VmSummary;
  hostConnected: boolean;
}

export interface VmSection {
  id: string;
  /** Catalog key of the section's name. */
  labelKey: MessageKey;
  component: ComponentType<VmSectionProps>;
}

export const vmSections: readonly VmSection[] = [
  { id: 'overview', labelKey: 'vm.section.overview', component: VmOverview },
  { id: 'console', labelKey: 'console.section', component: LazyVmConsoleSection },
  { id: 'settings', labelKey: 'vm.section.settings', component: LazyVmSettingsSection },
  { id: 'snapshots', labelKey: 'vm.section.snapshots', component: VmSnapshots },
  { id: 'xml', labelKey: 'vm.section.xml', component: LazyVmXmlEditor },
];

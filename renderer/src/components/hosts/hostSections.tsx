/**
 * The sections of a host's tab, in order. Each feature adds one entry here and keeps everything
 * else in its own files; the tab shows a section switcher when there is more than one.
 */
import type { ComponentType } from 'react';
import type { HostSummary } from '../../../../preload/contract.js';
import type { MessageKey } from '../../i18n/translate.js';
import { HostNetworksSection } from '../networks/HostNetworksSection.js';
import { HostSummarySection } from './HostSummarySection.js';
import { HostStorageSection } from '../storage/HostStorageSection.js';
import { HostInterfacesSection } from '../bridges/HostInterfacesSection.js';

export interface HostSectionProps {
  host: HostSummary;
  connected: boolean;
}

export interface HostSection {
  id: string;
  /** Catalog key of the section's name. */
  labelKey: MessageKey;
  component: ComponentType<HostSectionProps>;
}

export const hostSections: readonly HostSection[] = [
  { id: 'summary', labelKey: 'host.section.summary', component: HostSummarySection },
  { id: 'storage', labelKey: 'storage.section', component: HostStorageSection },
  { id: 'networks', labelKey: 'host.section.networks', component: HostNetworksSection },
  { id: 'interfaces', labelKey: 'hostnet.section', component: HostInterfacesSection },
];

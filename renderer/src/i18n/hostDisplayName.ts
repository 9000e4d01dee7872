import type { HostSummary } from '../../../preload/contract.js';
import type { Translator } from './translate.js';

/**
 * The name to show for a host. The built-in hosts (this computer, the demo hypervisor) exist
 * once each and carry a fixed English label from main, so they are named in the reader's
 * language; hosts the user adds keep the label the user gave them.
 */
export function hostDisplayName(host: Pick<HostSummary, 'kind' | 'label'>, t: Translator): string {
  return host.kind === 'ssh' ? host.label : t(`hostKind.${host.kind}`);
}

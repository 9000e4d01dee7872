/** A VM's state in words, with libvirt's reason when it gave one: "Shut off (forced off)". */
import type { VmSummary } from '../../../preload/contract.js';
import { isMessageKey, type Translator } from '../i18n/translate.js';

export function vmReasonText(vm: Pick<VmSummary, 'state' | 'stateReason'>, t: Translator): string | undefined {
  if (!vm.stateReason) return undefined;
  const key = `vmReason.${vm.state}.${vm.stateReason}`;
  // A reason newer than this catalog is shown as libvirt names it rather than dropped.
  return isMessageKey(key) ? t(key) : vm.stateReason;
}

export function vmStateText(vm: Pick<VmSummary, 'state' | 'stateReason'>, t: Translator): string {
  const state = t(`vmState.${vm.state}`);
  const reason = vmReasonText(vm, t);
  return reason ? t('vmState.withReason', { state, reason }) : state;
}

/** A VM's state in words, with libvirt's reason when it gave one: "Shut off (forced off)". */
import type { VmSummary } from '../../../preload/contract.js';
import { isMessageKey, type Translator } from '../i18n/translate.js';
import { isVmSaved } from './vmActionAvailability.js';

type StateFacts = Pick<VmSummary, 'state' | 'stateReason' | 'managedSave'>;

export function vmReasonText(vm: Pick<VmSummary, 'state' | 'stateReason'>, t: Translator): string | undefined {
  if (!vm.stateReason) return undefined;
  const key = `vmReason.${vm.state}.${vm.stateReason}`;
  // A reason newer than this catalog is shown as libvirt names it rather than dropped.
  return isMessageKey(key) ? t(key) : vm.stateReason;
}

/** The state alone: "Saved" for a shut-off VM with a managed-save image, else libvirt's state. */
export function vmStateLabel(vm: Pick<VmSummary, 'state' | 'managedSave'>, t: Translator): string {
  return isVmSaved(vm) ? t('vmState.saved') : t(`vmState.${vm.state}`);
}

export function vmStateText(vm: StateFacts, t: Translator): string {
  const state = vmStateLabel(vm, t);
  // "Saved (saved)" says nothing more; every other reason is worth its words.
  const reason = isVmSaved(vm) && vm.stateReason === 'saved' ? undefined : vmReasonText(vm, t);
  return reason ? t('vmState.withReason', { state, reason }) : state;
}

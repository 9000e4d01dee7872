/** A VM's overview section: what the inventory already knows about it. */
import type { VmSummary } from '../../../../preload/contract.js';
import { formatMemoryKiB } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { vmStateText } from '../../model/vmStateText.js';
import { PropertyList } from '../common/PropertyList.js';
import type { VmSectionProps } from './vmSections.js';

export function VmOverview({ vm }: VmSectionProps & { vm: VmSummary }) {
  const t = useT();
  const none = t('common.notAvailable');
  const yesNo = (value: boolean): string => t(value ? 'common.yes' : 'common.no');
  return (
    <section className="page-section">
      <PropertyList
        items={[
          { label: t('vm.field.state'), value: vmStateText(vm, t) },
          { label: t('vm.field.vcpus'), value: String(vm.vcpus) },
          { label: t('vm.field.memory'), value: formatMemoryKiB(vm.memoryKiB, t.language) },
          { label: t('vm.field.osType'), value: vm.osType ?? none },
          { label: t('vm.field.arch'), value: vm.arch ?? none },
          { label: t('vm.field.autostart'), value: yesNo(vm.autostart) },
          { label: t('vm.field.persistent'), value: yesNo(vm.persistent) },
          { label: t('vm.field.uuid'), value: vm.uuid, mono: true },
        ]}
      />
    </section>
  );
}

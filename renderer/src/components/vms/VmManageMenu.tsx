/** "Manage ▾" on a VM's tab: Clone… and Delete…, each opening its dialog. */
import { useRef, useState } from 'react';
import type { VmSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { belowElement, Menu, type MenuPosition } from '../common/Menu.js';
import { Icon } from '../common/Icon.js';
import { useVmManageStore } from '../../store/vmManageStore.js';
import { canCloneVm } from './VmManageDialogs.js';
import './vmManage.css';

export function VmManageMenu({ hostId, vm, hostConnected }: { hostId: string; vm: VmSummary; hostConnected: boolean }) {
  const t = useT();
  const button = useRef<HTMLButtonElement>(null);
  const [menuAt, setMenuAt] = useState<MenuPosition | undefined>();
  const open = useVmManageStore((state) => state.open);
  const canClone = canCloneVm(vm);
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button vm-manage-button"
        data-testid="vm-manage"
        aria-haspopup="menu"
        aria-expanded={menuAt !== undefined}
        disabled={!hostConnected}
        onClick={() => button.current && setMenuAt(belowElement(button.current))}
      >
        <Icon name="more" size={14} />
        {t('vmManage.button')}
      </button>
      {menuAt && (
        <Menu
          label={t('vmManage.label', { name: vm.name })}
          position={menuAt}
          onClose={() => setMenuAt(undefined)}
          testId="vm-manage-menu"
          entries={[
            {
              id: 'clone',
              label: canClone ? t('vmManage.clone') : t(vm.persistent ? 'vmManage.cloneShutOffFirst' : 'vmManage.cloneTransient'),
              icon: 'copy',
              disabled: !canClone,
              testId: 'vm-manage-clone',
              onSelect: () => open({ kind: 'clone', hostId, name: vm.name }),
            },
            'separator',
            { id: 'delete', label: t('vmManage.delete'), icon: 'trash', danger: true, testId: 'vm-manage-delete', onSelect: () => open({ kind: 'delete', hostId, name: vm.name }) },
          ]}
        />
      )}
    </>
  );
}

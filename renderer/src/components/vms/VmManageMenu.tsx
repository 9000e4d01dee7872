/** "Manage ▾" on a VM's tab: Clone… and Delete…, each opening its dialog. */
import { useRef, useState } from 'react';
import type { VmSummary } from '../../../../preload/contract.js';
import { useT } from '../../i18n/useT.js';
import { belowElement, Menu, type MenuPosition } from '../common/Menu.js';
import { Icon } from '../common/Icon.js';
import { CloneDialog } from './CloneDialog.js';
import { DeleteVmDialog } from './DeleteVmDialog.js';
import './vmManage.css';

export function VmManageMenu({ hostId, vm, hostConnected }: { hostId: string; vm: VmSummary; hostConnected: boolean }) {
  const t = useT();
  const button = useRef<HTMLButtonElement>(null);
  const [menuAt, setMenuAt] = useState<MenuPosition | undefined>();
  const [dialog, setDialog] = useState<'clone' | 'delete' | undefined>();
  const canClone = vm.state === 'shutoff' && vm.persistent;
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
              onSelect: () => setDialog('clone'),
            },
            'separator',
            { id: 'delete', label: t('vmManage.delete'), icon: 'trash', danger: true, testId: 'vm-manage-delete', onSelect: () => setDialog('delete') },
          ]}
        />
      )}
      {dialog === 'clone' && <CloneDialog hostId={hostId} vm={vm} onClose={() => setDialog(undefined)} />}
      {dialog === 'delete' && <DeleteVmDialog hostId={hostId} vm={vm} onClose={() => setDialog(undefined)} />}
    </>
  );
}

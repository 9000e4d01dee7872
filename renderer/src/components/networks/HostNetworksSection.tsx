/**
 * A host's virtual networks: the list (state, autostart, forwarding, bridge, DHCP range) with
 * start, stop, autostart, edit and delete, creating new ones, and what libvirt's default NAT
 * network is and how to be rid of it.
 */
import { useCallback, useState } from 'react';
import type { NetworkConfig, NetworkDraft, NetworkNamesInUse, NetworkSummary } from '../../../../preload/contract.js';
import { toErrorInfo } from '../../errors/errorInfo.js';
import type { MessageKey } from '../../i18n/translate.js';
import { useT } from '../../i18n/useT.js';
import { sortByName } from '../../model/compareNames.js';
import { formFromDraft, newNetworkForm, type NetworkForm } from '../../model/networkForm.js';
import { refreshInventory } from '../../services/inventoryRefresh.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';
import { useToastStore } from '../../store/toastStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { Icon } from '../common/Icon.js';
import { Spinner } from '../common/Spinner.js';
import { StateBadge } from '../common/StateBadge.js';
import type { HostSectionProps } from '../hosts/hostSections.js';
import { NetworkDeleteDialog } from './NetworkDeleteDialog.js';
import { NetworkFormDialog } from './NetworkFormDialog.js';
import '../common/details.css';
import './networks.css';

type Dialog =
  | { kind: 'create'; form: NetworkForm; inUse: NetworkNamesInUse }
  | { kind: 'edit'; name: string; form: NetworkForm; inUse: NetworkNamesInUse }
  | { kind: 'delete'; config: NetworkConfig };

const NO_NETWORKS: readonly NetworkSummary[] = [];

/** libvirt's own NAT network as packages install it. */
function isDefaultNetwork(network: NetworkSummary): boolean {
  return network.name === 'default' && network.forwardMode === 'nat';
}

export function HostNetworksSection({ host, connected }: HostSectionProps) {
  const t = useT();
  const hostId = host.id;
  const networks = useInventoryStore((state) => state.byHost[hostId]?.networks ?? NO_NETWORKS);
  const openTab = useUiStore((state) => state.openTab);
  const [dialog, setDialog] = useState<Dialog | undefined>();
  const [busy, setBusy] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const run = useCallback(
    async <T,>(label: string, failedKey: MessageKey, name: string, work: () => Promise<T>): Promise<T | undefined> => {
      setBusy(label);
      try {
        return await work();
      } catch (failure) {
        useToastStore.getState().showError(failedKey, toErrorInfo(failure), { name });
        return undefined;
      } finally {
        setBusy(undefined);
        void refreshInventory(hostId);
      }
    },
    [hostId],
  );

  const openCreate = () =>
    void run(t('vnet.busy.reading'), 'vnet.failed.read', '', async () => {
      const inUse = await requireClient().call('networks.namesInUse', { hostId });
      setDialog({ kind: 'create', form: newNetworkForm(networks, inUse.devices), inUse });
    });

  const openEdit = (name: string) =>
    void run(t('vnet.busy.reading'), 'vnet.failed.read', name, async () => {
      const client = requireClient();
      const [config, inUse] = await Promise.all([client.call('networks.config', { hostId, name }), client.call('networks.namesInUse', { hostId })]);
      if (!config.draft) {
        setNotice(t('vnet.notEditable', { name, mode: config.forwardMode }));
        return;
      }
      setDialog({ kind: 'edit', name, form: formFromDraft(config.draft), inUse });
    });

  const openDelete = (name: string) =>
    void run(t('vnet.busy.reading'), 'vnet.failed.read', name, async () => {
      setDialog({ kind: 'delete', config: await requireClient().call('networks.config', { hostId, name }) });
    });

  const save = (draft: NetworkDraft, start: boolean) => {
    const current = dialog;
    setDialog(undefined);
    setNotice(undefined);
    if (current?.kind === 'create') {
      void run(t('vnet.busy.create', { name: draft.name }), 'vnet.failed.create', draft.name, () => requireClient().call('networks.create', { hostId, draft, start }));
    } else if (current?.kind === 'edit') {
      void run(t('vnet.busy.update', { name: draft.name }), 'vnet.failed.update', draft.name, async () => {
        const result = await requireClient().call('networks.update', { hostId, name: current.name, draft });
        setNotice(t(result.restartNeeded ? 'vnet.savedRestart' : 'vnet.saved', { name: current.name }));
      });
    }
  };

  const defaultNetwork = networks.find(isDefaultNetwork);
  const disabled = !connected || busy !== undefined;

  return (
    <section className="page-section" data-testid="host-networks">
      {defaultNetwork && (
        <div className="callout callout-info" role="note" data-testid="default-network-note">
          <Icon name="info" className="callout-icon" />
          <div className="callout-body">
            <p className="callout-title">{t('vnet.default.title', { bridge: defaultNetwork.bridge ?? 'virbr0' })}</p>
            <p>{t('vnet.default.body', { range: defaultNetwork.ipv4 ?? '192.168.122.0/24' })}</p>
            <p>{t('vnet.default.remove')}</p>
            <div>
              <button type="button" className="button" data-testid="default-network-remove" disabled={disabled} onClick={() => openDelete(defaultNetwork.name)}>
                {t('vnet.default.removeButton')}
              </button>
            </div>
          </div>
        </div>
      )}
      <div className="toolbar" role="toolbar" aria-label={t('vnet.actions')}>
        <button type="button" className="button button-primary" data-testid="network-create" disabled={disabled} onClick={openCreate}>
          <Icon name="plus" size={14} />
          {t('vnet.createButton')}
        </button>
        {busy && (
          <span className="muted" role="status" data-testid="network-busy">
            <Spinner size="small" /> {busy}
          </span>
        )}
      </div>
      {notice && (
        <p className="muted" role="status" data-testid="network-notice">
          {notice}
        </p>
      )}
      {networks.length === 0 ? (
        <p className="muted" data-testid="networks-empty">
          {t('host.noNetworks')}
        </p>
      ) : (
        <table className="data-table network-table" data-testid="network-list">
          <thead>
            <tr>
              <th>{t('host.column.name')}</th>
              <th>{t('host.column.state')}</th>
              <th>{t('vnet.column.autostart')}</th>
              <th>{t('host.column.forward')}</th>
              <th>{t('host.column.bridge')}</th>
              <th>{t('vnet.column.dhcp')}</th>
              <th aria-label={t('vnet.actions')} />
            </tr>
          </thead>
          <tbody>
            {sortByName(networks).map((network) => (
              <tr key={network.name} data-testid="network-row" data-name={network.name} data-active={network.active ? 'true' : 'false'}>
                <td>
                  <button type="button" className="link-button" onClick={() => openTab({ kind: 'network', hostId, name: network.name })}>
                    {network.name}
                  </button>
                </td>
                <td>
                  <StateBadge tone={network.active ? 'ok' : 'idle'} label={t(network.active ? 'network.active' : 'network.inactive')} />
                </td>
                <td>
                  <input
                    type="checkbox"
                    className="checkbox"
                    data-testid="network-row-autostart"
                    aria-label={t('vnet.autostartOf', { name: network.name })}
                    checked={network.autostart}
                    disabled={disabled || !network.persistent}
                    onChange={(event) => {
                      const autostart = event.target.checked;
                      void run(t('vnet.busy.autostart', { name: network.name }), 'vnet.failed.autostart', network.name, () => requireClient().call('networks.setAutostart', { hostId, name: network.name, autostart }));
                    }}
                  />
                </td>
                <td>{t(forwardLabelKey(network.forwardMode))}</td>
                <td className="mono">{network.bridge ?? t('common.notAvailable')}</td>
                <td className="mono">{network.dhcpRange ?? t('vnet.noDhcp')}</td>
                <td>
                  <div className="network-actions">
                    {network.active ? (
                      <button type="button" className="button button-small" data-testid="network-row-stop" disabled={disabled} onClick={() => void run(t('vnet.busy.stop', { name: network.name }), 'vnet.failed.stop', network.name, () => requireClient().call('networks.stop', { hostId, name: network.name }))}>
                        {t('vnet.stop')}
                      </button>
                    ) : (
                      <button type="button" className="button button-small" data-testid="network-row-start" disabled={disabled} onClick={() => void run(t('vnet.busy.start', { name: network.name }), 'vnet.failed.start', network.name, () => requireClient().call('networks.start', { hostId, name: network.name }))}>
                        {t('vnet.start')}
                      </button>
                    )}
                    <button type="button" className="button button-small" data-testid="network-row-edit" disabled={disabled || !network.persistent} onClick={() => openEdit(network.name)}>
                      {t('vnet.edit')}
                    </button>
                    <button type="button" className="button button-small button-danger-quiet" data-testid="network-row-delete" disabled={disabled} onClick={() => openDelete(network.name)}>
                      {t('vnet.delete')}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
        <NetworkFormDialog {...(dialog.kind === 'edit' ? { editing: dialog.name } : {})} initial={dialog.form} inUse={dialog.inUse} onClose={() => setDialog(undefined)} onSave={save} />
      )}
      {dialog?.kind === 'delete' && (
        <NetworkDeleteDialog
          config={dialog.config}
          onClose={() => setDialog(undefined)}
          onConfirm={() => {
            const name = dialog.config.name;
            setDialog(undefined);
            void run(t('vnet.busy.delete', { name }), 'vnet.failed.delete', name, () => requireClient().call('networks.delete', { hostId, name }));
          }}
        />
      )}
    </section>
  );
}

/** libvirt's forward modes as people say them. */
export function forwardLabelKey(mode: string | undefined): MessageKey {
  switch (mode) {
    case 'nat':
    case 'route':
    case 'open':
    case 'isolated':
      return `vnet.kind.${mode}`;
    case 'bridge':
      return 'vnet.kind.bridge';
    default:
      return 'vnet.kind.other';
  }
}

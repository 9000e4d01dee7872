/**
 * "12 of 50 hosts connected · 38 connecting" while hosts arrive, "50 hosts connected" once all
 * are; opens the overview, where each host's state shows.
 */
import { useT } from '../../i18n/useT.js';
import { summarizeHostStatus } from '../../model/hostStatusSummary.js';
import { useHostsStore } from '../../store/hostsStore.js';
import { useUiStore } from '../../store/uiStore.js';
import { StatusDot } from '../common/StatusDot.js';

export function ConnectionSummary() {
  const t = useT();
  const hosts = useHostsStore((state) => state.hosts);
  const openTab = useUiStore((state) => state.openTab);
  const summary = summarizeHostStatus(hosts);
  const parts: string[] = [];
  if (summary.total === 0) parts.push(t('statusbar.noHosts'));
  else {
    parts.push(
      summary.connected === summary.total
        ? t.count('statusbar.hostsConnected', summary.connected)
        : t.count('statusbar.hostsConnectedOf', summary.total, { connected: summary.connected }),
    );
    if (summary.connecting > 0) parts.push(t('statusbar.hostsConnecting', { count: summary.connecting }));
    if (summary.awaitingUser > 0) parts.push(t('statusbar.hostsAwaiting', { count: summary.awaitingUser }));
    if (summary.unavailable > 0) parts.push(t('statusbar.hostsUnavailable', { count: summary.unavailable }));
  }
  const tone =
    summary.unavailable > 0 || summary.awaitingUser > 0
      ? 'warn'
      : summary.connecting > 0
        ? 'busy'
        : summary.connected > 0
          ? 'ok'
          : 'idle';
  const text = parts.join(' · ');
  return (
    <button
      type="button"
      className="status-item status-button"
      data-testid="connection-summary"
      data-connected={summary.connected}
      data-total={summary.total}
      title={text}
      onClick={() => openTab({ kind: 'welcome' })}
    >
      <StatusDot tone={tone} />
      <span>{text}</span>
    </button>
  );
}

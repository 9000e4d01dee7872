import type { HostStatus, HostSummary } from '../../../preload/contract.js';

export interface HostStatusSummary {
  total: number;
  connected: number;
  connecting: number;
  /** Connecting, but a question (host key, password, code) waits for the user. */
  awaitingUser: number;
  /** Every state that needs the user: disconnected, virsh missing, libvirt down, … */
  unavailable: number;
}

export function isHostUnavailable(status: HostStatus): boolean {
  return status !== 'connected' && status !== 'connecting' && status !== 'awaiting-user';
}

export function summarizeHostStatus(hosts: readonly Pick<HostSummary, 'status'>[]): HostStatusSummary {
  const summary: HostStatusSummary = { total: hosts.length, connected: 0, connecting: 0, awaitingUser: 0, unavailable: 0 };
  for (const host of hosts) {
    if (host.status === 'connected') summary.connected += 1;
    else if (host.status === 'connecting') summary.connecting += 1;
    else if (host.status === 'awaiting-user') summary.awaitingUser += 1;
    else summary.unavailable += 1;
  }
  return summary;
}

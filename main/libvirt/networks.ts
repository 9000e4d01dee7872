/** Virtual network verbs (net-*), built as argv and checked the same way as every kind's. */
import { ContractError } from '../../preload/contract.js';
import { runRemoteJob } from '../connection/remoteJob.js';
import { defineXml, withXmlOnHost } from './definitions.js';
import { checkedResult, contractErrorFromStderr } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';
import { INTERFACE } from './xml/domainDevices.js';
import { DomainDocument } from './xml/domainDocument.js';

async function run(host: LibvirtHost, argv: string[]): Promise<string> {
  return checkedResult(await host.session.run(argv), `virsh ${argv[0]}`);
}

export function readNetworkXml(host: LibvirtHost, name: string, options: { inactive?: boolean } = {}): Promise<string> {
  return run(host, ['net-dumpxml', ...(options.inactive ? ['--inactive'] : []), '--network', name]);
}

export function defineNetwork(host: LibvirtHost, xml: string): Promise<string> {
  return defineXml(host, 'network', xml);
}

export async function startNetwork(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['net-start', '--network', name]);
}

export async function stopNetwork(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['net-destroy', '--network', name]);
}

export async function undefineNetwork(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['net-undefine', '--network', name]);
}

export async function setNetworkAutostart(host: LibvirtHost, name: string, autostart: boolean): Promise<void> {
  await run(host, ['net-autostart', '--network', name, ...(autostart ? [] : ['--disable'])]);
}

/** Names of the guests (running or not) with an interface on the network, sorted. */
export async function guestsUsingNetwork(host: LibvirtHost, name: string): Promise<string[]> {
  const listed = await run(host, ['list', '--all', '--name']);
  const domains = listed.split('\n').map((line) => line.trim()).filter(Boolean);
  // The live definition of a running guest, the persistent one of a stopped guest; a guest
  // that vanished meanwhile is skipped.
  const results = await Promise.all(host.session.runBatch(domains.map((domain) => ['dumpxml', '--domain', domain])));
  const users: string[] = [];
  results.forEach((result, index) => {
    if (!result.ok) return;
    const document = DomainDocument.parse(result.stdout);
    const onNetwork = document.devices('interface').some((nic) => document.get(INTERFACE.type, nic) === 'network' && document.get(INTERFACE.sourceNetwork, nic) === name);
    if (onNetwork) users.push(domains[index]!);
  });
  return users.sort((a, b) => a.localeCompare(b));
}

/** The network devices that exist on the host (names in /sys/class/net). */
export async function hostDeviceNames(host: LibvirtHost): Promise<string[]> {
  const result = await runRemoteJob(host.runner, ['ls', '-1', '/sys/class/net'], { timeoutMs: 30_000 });
  if (result.code !== 0) throw contractErrorFromStderr(result.stderr, 'listing the host network devices failed');
  return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

export interface NetworkState {
  active: boolean;
  persistent: boolean;
  autostart: boolean;
  bridge?: string;
}

/** `virsh net-info`: lines of `Key: value`. */
export async function readNetworkState(host: LibvirtHost, name: string): Promise<NetworkState> {
  const fields = new Map<string, string>();
  for (const line of (await run(host, ['net-info', '--network', name])).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bridge = fields.get('bridge');
  return {
    active: fields.get('active') === 'yes',
    persistent: fields.get('persistent') === 'yes',
    autostart: fields.get('autostart') === 'yes',
    ...(bridge ? { bridge } : {}),
  };
}

/**
 * Defines a network, then (as asked) starts it and sets it to start with the host. When a
 * later step fails the network is stopped and undefined again, so nothing half-made remains.
 */
export async function createNetwork(host: LibvirtHost, name: string, xml: string, options: { start: boolean; autostart: boolean }): Promise<void> {
  await defineNetwork(host, xml);
  let started = false;
  try {
    if (options.autostart) await setNetworkAutostart(host, name, true);
    if (options.start) {
      await startNetwork(host, name);
      started = true;
    }
  } catch (error) {
    if (started) await stopNetwork(host, name).catch(() => undefined);
    await undefineNetwork(host, name).catch(() => undefined);
    throw error;
  }
}

/** A change to a running network's DHCP settings that `net-update` makes live. */
export interface LiveNetworkUpdate {
  command: 'add' | 'delete';
  section: 'ip-dhcp-range' | 'ip-dhcp-host';
  /** Which `<ip>` of the network (0 = first). */
  parentIndex: number;
  xml: string;
}

/** Applies one live change (`--live` only: the persistent definition is redefined whole). */
export async function updateRunningNetwork(host: LibvirtHost, name: string, update: LiveNetworkUpdate): Promise<void> {
  await withXmlOnHost(host.runner, update.xml, async (path) =>
    checkedResult(
      await host.session.run(['net-update', '--network', name, '--command', update.command, '--section', update.section, '--xml', path, '--parent-index', String(update.parentIndex), '--live']),
      'virsh net-update',
    ),
  );
}

/** Refused while any guest uses the network; stops a running network first. */
export async function deleteNetwork(host: LibvirtHost, name: string): Promise<void> {
  const guests = await guestsUsingNetwork(host, name);
  if (guests.length > 0) throw new ContractError('bad-arguments', `The network ${name} is used by ${guests.join(', ')}; move or remove their interfaces first.`, guests.join('\n'));
  const state = await readNetworkState(host, name);
  if (state.active) await stopNetwork(host, name);
  if (state.persistent) await undefineNetwork(host, name);
}

/** Virtual network verbs (net-*), built as argv and checked the same way as every kind's. */
import { defineXml } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';

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

/** Storage pool verbs (pool-*), built as argv and checked the same way as every kind's. */
import { defineXml } from './definitions.js';
import { checkedResult } from './libvirtErrors.js';
import type { LibvirtHost } from './libvirtHost.js';

async function run(host: LibvirtHost, argv: string[]): Promise<string> {
  return checkedResult(await host.session.run(argv), `virsh ${argv[0]}`);
}

export function readPoolXml(host: LibvirtHost, name: string, options: { inactive?: boolean } = {}): Promise<string> {
  return run(host, ['pool-dumpxml', ...(options.inactive ? ['--inactive'] : []), '--pool', name]);
}

export function definePool(host: LibvirtHost, xml: string): Promise<string> {
  return defineXml(host, 'pool', xml);
}

export async function startPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-start', '--pool', name]);
}

export async function stopPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-destroy', '--pool', name]);
}

export async function refreshPool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-refresh', '--pool', name]);
}

export async function undefinePool(host: LibvirtHost, name: string): Promise<void> {
  await run(host, ['pool-undefine', '--pool', name]);
}

export async function setPoolAutostart(host: LibvirtHost, name: string, autostart: boolean): Promise<void> {
  await run(host, ['pool-autostart', '--pool', name, ...(autostart ? [] : ['--disable'])]);
}

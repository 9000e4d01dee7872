/**
 * Sending an XML definition to libvirt on a host. virsh reads one command per line and the
 * quoting function refuses line breaks, so XML cannot travel inside a command: it goes to the
 * host through the file primitive (a private temporary file, mode 0600, since definitions can
 * hold secrets such as VNC passwords), virsh is pointed at it, and the file is removed again
 * whatever happened.
 */
import { randomBytes } from 'node:crypto';
import { putFile, removeFiles } from '../connection/hostFiles.js';
import type { ProcessRunner } from '../connection/hostProcess.js';
import { checkedResult } from './libvirtErrors.js';
import type { VirshSession } from './virshSession.js';

export interface DefinitionHost {
  runner: ProcessRunner;
  session: VirshSession;
}

/** A fresh, unguessable path in the host's /tmp (sticky and world-writable on every Linux). */
export function hostTempPath(suffix = '.xml'): string {
  return `/tmp/virtdeck-${randomBytes(12).toString('hex')}${suffix}`;
}

/** Puts `xml` in a temporary file on the host for the length of `use`, then removes it. */
export async function withXmlOnHost<T>(runner: ProcessRunner, xml: string, use: (path: string) => Promise<T>): Promise<T> {
  const path = hostTempPath();
  const bytes = Buffer.from(xml, 'utf8');
  await putFile(runner, path, bytes, { size: bytes.length, mode: 0o600 });
  try {
    return await use(path);
  } finally {
    await removeFiles(runner, [path]).catch(() => undefined);
  }
}

export type DefinitionKind = 'domain' | 'network' | 'pool';

const DEFINE_COMMANDS: Record<DefinitionKind, string> = {
  domain: 'define',
  network: 'net-define',
  pool: 'pool-define',
};

/** Defines (or redefines) a persistent object from its XML; returns virsh's answer. */
export function defineXml(host: DefinitionHost, kind: DefinitionKind, xml: string): Promise<string> {
  return withXmlOnHost(host.runner, xml, async (path) => checkedResult(await host.session.run([DEFINE_COMMANDS[kind], '--file', path]), `virsh ${DEFINE_COMMANDS[kind]}`));
}

/** Defines many objects of one kind: one file transfer each, one virsh round trip for all. */
export async function defineMany(host: DefinitionHost, kind: DefinitionKind, xmls: readonly string[]): Promise<{ ok: boolean; message: string }[]> {
  const paths = xmls.map(() => hostTempPath());
  try {
    for (const [index, xml] of xmls.entries()) {
      const bytes = Buffer.from(xml, 'utf8');
      await putFile(host.runner, paths[index]!, bytes, { size: bytes.length, mode: 0o600 });
    }
    const results = await Promise.all(host.session.runBatch(paths.map((path) => [DEFINE_COMMANDS[kind], '--file', path])));
    return results.map((result) => {
      try {
        return { ok: true, message: checkedResult(result, `virsh ${DEFINE_COMMANDS[kind]}`) };
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    });
  } finally {
    await removeFiles(host.runner, paths).catch(() => undefined);
  }
}

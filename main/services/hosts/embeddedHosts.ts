/**
 * The hosts every installation starts with: this computer (local libvirt through a locally
 * spawned virsh, when virsh is installed) and the demo hypervisor (libvirt's test driver,
 * alive as long as its one virsh session).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDomainXml, type DomainDraft } from '../../libvirt/models/domainBuilder.js';
import { VirshError, virshErrorMessage, type VirshSession } from '../../libvirt/virshSession.js';

export const LOCAL_HOST_ID = 'local';
export const DEMO_HOST_ID = 'demo';
export const DEMO_URI = 'test:///default';

/** Resolves true when a `virsh` can be run on this computer. */
export function virshInstalled(virshPath = 'virsh'): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(virshPath, ['--version'], { timeout: 10_000 }, (error) => resolve(!error));
  });
}

/** A few more machines than test:///default's single one, so the demo looks like a host. */
const DEMO_DOMAINS: (DomainDraft & { start?: boolean; pause?: boolean })[] = [
  { name: 'web-frontend', type: 'test', memoryKiB: 2 * 1024 * 1024, vcpus: 2, arch: 'x86_64', start: true },
  { name: 'database', type: 'test', memoryKiB: 8 * 1024 * 1024, vcpus: 4, arch: 'x86_64', start: true },
  { name: 'build-runner', type: 'test', memoryKiB: 4 * 1024 * 1024, vcpus: 4, arch: 'x86_64', start: true, pause: true },
  { name: 'windows-desktop', type: 'test', memoryKiB: 4 * 1024 * 1024, vcpus: 2, arch: 'x86_64' },
];

/** Defines the demo machines in the demo session; the XML files live only for the define. */
export async function seedDemoHypervisor(session: VirshSession): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'virtdeck-demo-'));
  try {
    const commands: string[][] = [];
    for (const [index, draft] of DEMO_DOMAINS.entries()) {
      const file = join(dir, `domain-${index}.xml`);
      await writeFile(file, buildDomainXml(draft));
      commands.push(['define', '--file', file]);
      if (draft.start) commands.push(['start', '--domain', draft.name]);
      if (draft.pause) commands.push(['suspend', '--domain', draft.name]);
    }
    const results = await Promise.all(session.runBatch(commands));
    const failed = results.find((result) => !result.ok);
    if (failed) throw new VirshError(virshErrorMessage(failed.stderr), failed.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

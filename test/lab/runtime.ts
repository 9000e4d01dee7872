// Bookkeeping of a running lab (runtime.json): which hosts exist and the pid of each host's
// namespace holder. lab:down, labExec and stopSshd/startSshd work from it; tests use hosts.json.
import { readFile, rm } from 'node:fs/promises';
import type { HostHandle } from './daemons.js';
import { labRuntimeFilePath } from './paths.js';
import type { HostPlan, LabShape } from './plan.js';
import { writePrivateFile } from './stateDir.js';

export interface RuntimeHost extends HostHandle {
  readonly runsLibvirt: boolean;
}

export interface LabRuntime {
  readonly version: 1;
  readonly startedAt: string;
  readonly shape: LabShape;
  readonly kvm: boolean;
  readonly hosts: readonly RuntimeHost[];
}

export function runtimeHost(plan: HostPlan, holderPid: number): RuntimeHost {
  return { name: plan.name, namespace: plan.namespace, address: plan.address, holderPid, runsLibvirt: plan.runsLibvirt };
}

export async function readRuntime(): Promise<LabRuntime | undefined> {
  try {
    return JSON.parse(await readFile(labRuntimeFilePath(), 'utf8')) as LabRuntime;
  } catch {
    return undefined;
  }
}

export async function writeRuntime(runtime: LabRuntime): Promise<void> {
  await writePrivateFile(labRuntimeFilePath(), `${JSON.stringify(runtime, null, 2)}\n`);
}

export async function removeRuntime(): Promise<void> {
  await rm(labRuntimeFilePath(), { force: true });
}

/** The running host called `name`, or a clear error. */
export async function requireRuntimeHost(name: string): Promise<RuntimeHost> {
  const runtime = await readRuntime();
  if (!runtime) throw new Error('VirtDeck lab is not up: run `npm run lab:up` as root');
  const host = runtime.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`no lab host named ${name} (have: ${runtime.hosts.map((h) => h.name).join(', ')})`);
  return host;
}

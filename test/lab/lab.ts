// Bringing the whole lab up and down. lab:up is idempotent: a healthy lab of the same shape is
// reported and left alone; anything else (other shape, dead daemons, leftovers of a crash) is torn
// down and rebuilt from scratch.
import { rm } from 'node:fs/promises';
import {
  daemonPid,
  startDefaultNetwork,
  startLibvirtd,
  startSshdDaemon,
  startVirtlogd,
  waitLibvirtReady,
  type HostHandle,
} from './daemons.js';
import { setUpHostMounts, startHolder } from './hostNamespace.js';
import {
  ensureMountTargets,
  hostUuid,
  listHostStateDirs,
  prepareHostState,
  removeHostRuntimeState,
} from './hostState.js';
import { readLabHosts, type LabHost } from './hosts.js';
import { seedQemuCapabilities, shareQemuCapabilities } from './qemuCapabilities.js';
import { prepareKvm } from './kvm.js';
import {
  assertLabRangeFree,
  createLabNetwork,
  deleteLabNetwork,
  listLabNamespaces,
  namespacePids,
  netnsFile,
  rootNetworkLeftovers,
} from './network.js';
import { ensurePackages } from './packages.js';
import { labHostsFilePath, labKnownHostsPath, labSshConfigPath } from './paths.js';
import {
  DEFAULT_TEST_DRIVER_VMS,
  LAB_BRIDGE,
  LAB_USER,
  LIBVIRT_URI,
  SSH_PORT,
  TEST_DRIVER_URI,
  normalizeShape,
  planHosts,
  type HostPlan,
  type LabShape,
} from './plan.js';
import { assertRoot } from './privileges.js';
import { isAlive, isInNetns, terminate } from './processes.js';
import { readRuntime, removeRuntime, runtimeHost, writeRuntime, type LabRuntime } from './runtime.js';
import { ensureExtraHostKeys, ensureHostKey, writeKnownHosts, writeSshClientConfig, writeSshdConfig } from './sshd.js';
import { writePrivateFile } from './stateDir.js';
import { ensureLabUser, removeSudoRule } from './users.js';
import { writeTestDriverNodeInHost } from './testDriverHost.js';

export type LabLog = (line: string) => void;

export interface LabUpOptions {
  /** Plain key-auth hosts lab1..labN (default 3). */
  readonly hosts?: number;
  /** Also create pw, kbd, jump, behind, stopped (default true). */
  readonly variants?: boolean;
  /** Test-driver hosts td1..tdN (sshd only; default 0). */
  readonly testHosts?: number;
  /** Rebuild even if a healthy lab of the same shape is running. */
  readonly restart?: boolean;
  readonly log?: LabLog;
}

export interface LabUpResult {
  readonly hosts: LabHost[];
  readonly kvm: boolean;
  /** True when a healthy lab was already running and was left as it was. */
  readonly alreadyUp: boolean;
  readonly elapsedMs: number;
}

export interface LabDownResult {
  readonly namespaces: string[];
  readonly stoppedProcesses: number;
}

const quiet: LabLog = () => undefined;

async function isHealthy(runtime: LabRuntime): Promise<boolean> {
  for (const host of runtime.hosts) {
    const holderAlive = (await isAlive(host.holderPid)) && (await isInNetns(host.holderPid, netnsFile(host.namespace)));
    if (!holderAlive || (await daemonPid(host, 'sshd')) === undefined) return false;
    if (host.runsLibvirt && (await daemonPid(host, 'libvirtd')) === undefined) return false;
  }
  return readLabHosts().then(
    () => true,
    () => false,
  );
}

async function hasLeftovers(): Promise<boolean> {
  return (await readRuntime()) !== undefined || (await listLabNamespaces()).length > 0 || (await rootNetworkLeftovers());
}

interface StartedHost {
  readonly defaultNetwork: string;
}

async function startHost(plan: HostPlan, handle: HostHandle): Promise<StartedHost> {
  await setUpHostMounts(plan, handle.holderPid);
  if (plan.runsLibvirt) {
    // libvirtd needs virtlogd only when a guest starts, so neither waits for the other.
    await startVirtlogd(handle);
    await startLibvirtd(handle);
  }
  if (plan.role === 'test-driver') await writeTestDriverNodeInHost(handle.holderPid, plan.name, DEFAULT_TEST_DRIVER_VMS);
  await startSshdDaemon(handle);
  if (plan.role === 'test-driver') return { defaultNetwork: 'active (test driver)' };
  if (!plan.runsLibvirt) return { defaultNetwork: 'not started (libvirt not running)' };
  await waitLibvirtReady(handle);
  return { defaultNetwork: await startDefaultNetwork(handle) };
}

async function bringUp(shape: LabShape, log: LabLog): Promise<{ hosts: LabHost[]; kvm: boolean }> {
  const plans = planHosts(shape);
  await ensureMountTargets();
  const [kvm, credentials, hostKeys, extraHostKeys] = await Promise.all([
    prepareKvm(),
    ensureLabUser(),
    Promise.all(plans.map((p) => ensureHostKey(p.name))),
    Promise.all(plans.map(ensureExtraHostKeys)),
  ]);
  log(kvm.kvm ? 'lab: guests use KVM' : `lab: guests use TCG (software emulation): ${kvm.reason}`);

  await Promise.all(
    plans.map(async (p) => {
      await prepareHostState(p, plans);
      await seedQemuCapabilities(p.name);
    }),
  );
  await Promise.all(plans.map(writeSshdConfig));
  await createLabNetwork(plans);
  const holders = await Promise.all(plans.map(startHolder));
  const runtime: LabRuntime = {
    version: 1,
    startedAt: new Date().toISOString(),
    shape,
    kvm: kvm.kvm,
    hosts: plans.map((p, i) => runtimeHost(p, holders[i]!)),
  };
  // Written before any daemon starts, so a crash from here on can still be torn down by pid.
  await writeRuntime(runtime);
  const started = await Promise.all(plans.map((p, i) => startHost(p, runtime.hosts[i]!)));

  const hosts: LabHost[] = plans.map((plan, i) => ({
    name: plan.name,
    address: plan.address,
    port: SSH_PORT,
    user: LAB_USER,
    auth: plan.auth,
    keyFile: plan.auth === 'key' ? credentials.keyFile : null,
    password: plan.auth === 'key' ? null : credentials.password,
    jumpHost: plan.jumpHost,
    libvirtUri: plan.role === 'test-driver' ? TEST_DRIVER_URI : LIBVIRT_URI,
    kvm: kvm.kvm,
    role: plan.role,
    namespace: plan.namespace,
    libvirtRunning: plan.runsLibvirt,
    defaultNetwork: started[i]!.defaultNetwork,
    hostKey: hostKeys[i]!,
    extraHostKeys: extraHostKeys[i]!,
    hostUuid: plan.runsLibvirt ? hostUuid(plan.name) : null,
    streamLocalForwarding: plan.role !== 'jump',
  }));
  await shareQemuCapabilities(runtime.hosts.filter((h) => h.runsLibvirt));
  await writeKnownHosts(hosts);
  await writeSshClientConfig(plans);
  await writePrivateFile(labHostsFilePath(), `${JSON.stringify(hosts, null, 2)}\n`);
  return { hosts, kvm: kvm.kvm };
}

export async function labUp(options: LabUpOptions = {}): Promise<LabUpResult> {
  assertRoot();
  const t0 = Date.now();
  const log = options.log ?? quiet;
  const shape = normalizeShape({ hosts: options.hosts ?? 3, variants: options.variants ?? true, testHosts: options.testHosts ?? 0 });
  planHosts(shape); // validate before touching anything

  const runtime = await readRuntime();
  const sameShape = runtime !== undefined && JSON.stringify(normalizeShape(runtime.shape)) === JSON.stringify(shape);
  if (!options.restart && runtime && sameShape && (await isHealthy(runtime))) {
    log(`lab: already up since ${runtime.startedAt} (${runtime.hosts.length} hosts); left as it is (lab:down or --restart to rebuild)`);
    return { hosts: await readLabHosts(), kvm: runtime.kvm, alreadyUp: true, elapsedMs: Date.now() - t0 };
  }
  if (await hasLeftovers()) {
    log('lab: tearing down the previous lab first');
    await labDown({ log });
  }
  await ensurePackages(log);
  await assertLabRangeFree();
  try {
    const { hosts, kvm } = await bringUp(shape, log);
    return { hosts, kvm, alreadyUp: false, elapsedMs: Date.now() - t0 };
  } catch (err) {
    log(`lab: up failed, tearing down what was started`);
    await labDown({ log: quiet }).catch((downErr: unknown) => log(`lab: teardown after failure also failed: ${String(downErr)}`));
    throw err;
  }
}

const RECORDED_DAEMONS = ['sshd', 'libvirtd', 'virtlogd'] as const;

export async function labDown(options: { readonly log?: LabLog } = {}): Promise<LabDownResult> {
  assertRoot('stops lab daemons and deletes network namespaces');
  const log = options.log ?? quiet;
  const runtime = await readRuntime();
  const namespaces = [...new Set([...(runtime?.hosts.map((h) => h.namespace) ?? []), ...(await listLabNamespaces())])];
  let stopped = 0;

  // 1. The daemons the lab started, by their recorded pid files (daemonPid checks the namespace).
  const recorded: number[] = [];
  for (const host of runtime?.hosts ?? []) {
    for (const daemon of RECORDED_DAEMONS) {
      const pid = await daemonPid(host, daemon);
      if (pid !== undefined) recorded.push(pid);
    }
  }
  await terminate(recorded);
  stopped += recorded.length;

  // 2. What those daemons started inside the namespaces — dnsmasq, qemu, ssh sessions — and the
  //    holders. Repeat until empty: a dying sshd session can still have children to reap.
  for (let round = 0; round < 5; round++) {
    const rest = (await Promise.all(namespaces.map(namespacePids))).flat();
    if (rest.length === 0) break;
    await terminate(rest);
    stopped += rest.length;
  }

  // 3. Network: namespaces (with their veths) and the bridge. Mounts needed no unmounting: they
  //    lived in the hosts' private mount namespaces, which died with their last process.
  await deleteLabNetwork(namespaces);

  // 4. Runtime files; the lab key and host keys stay so known_hosts and keys remain stable.
  for (const file of [labHostsFilePath(), labKnownHostsPath(), labSshConfigPath()]) await rm(file, { force: true });
  for (const hostName of await listHostStateDirs()) await removeHostRuntimeState(hostName);
  await removeRuntime();
  await removeSudoRule();
  if (namespaces.length > 0 || stopped > 0) {
    log(`lab: down — stopped ${stopped} processes, removed ${namespaces.length} namespaces and bridge ${LAB_BRIDGE}`);
  } else {
    log('lab: nothing was running');
  }
  return { namespaces, stoppedProcesses: stopped };
}

export interface LabStatus {
  readonly up: boolean;
  readonly healthy: boolean;
  readonly runtime: LabRuntime | undefined;
}

export async function labStatus(): Promise<LabStatus> {
  const runtime = await readRuntime();
  if (!runtime) return { up: false, healthy: false, runtime };
  return { up: true, healthy: await isHealthy(runtime), runtime };
}

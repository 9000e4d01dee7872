// `npm run lab:up|lab:down|lab:populate` — a thin wrapper over lab.ts/populate.ts.
// Exit codes: 0 ok, 1 the lab failed, 2 bad usage or not root.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { labDown, labStatus, labUp } from './lab.js';
import { labPopulate } from './populate.js';
import { labHostsFilePath, labSshConfigPath } from './paths.js';
import { MAX_PLAIN_HOSTS } from './plan.js';
import { LabPermissionError, assertRoot } from './privileges.js';
import type { LabHost } from './hosts.js';

const USAGE = `usage: tsx test/lab/cli.ts <command> [options]
  up        [--hosts N] [--test-hosts T] [--no-variants] [--restart]
                                                      start N hosts lab1..labN (default 3, max ${MAX_PLAIN_HOSTS})
                                                      plus pw, kbd, jump, behind, stopped, and T
                                                      test-driver hosts td1..tdT (sshd only, default 0)
  down                                                stop everything the lab started
  populate  --host NAME --vms V                       define V small VMs on one host (on a
                                                      test-driver host: rewrite its node file)
  status                                              is the lab up and healthy? (exit 0 yes, 1 unhealthy, 3 down)`;

class UsageError extends Error {}

function log(line: string): void {
  console.log(line);
}

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a non-negative integer, got "${value}"`);
  return Number(value);
}

function relative(file: string): string {
  const shorter = path.relative(process.cwd(), file);
  return shorter && !shorter.startsWith('..') ? shorter : file;
}

function hostLine(h: LabHost): string {
  const via = h.jumpHost ? ` via ${h.jumpHost}` : '';
  const libvirt =
    h.role === 'test-driver' ? `test driver ${h.libvirtUri}` : h.libvirtRunning ? `libvirt running, default network ${h.defaultNetwork}` : 'libvirt NOT running';
  return `  ${h.name.padEnd(8)} ${`${h.address}${via}`.padEnd(22)} ${h.auth.padEnd(21)} ${libvirt}`;
}

async function up(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { hosts: { type: 'string' }, 'test-hosts': { type: 'string' }, 'no-variants': { type: 'boolean' }, restart: { type: 'boolean' } },
  });
  const hosts = integer(values.hosts, '--hosts') ?? 3;
  const testHosts = integer(values['test-hosts'], '--test-hosts') ?? 0;
  if (hosts + testHosts > MAX_PLAIN_HOSTS) throw new UsageError(`--hosts plus --test-hosts must be at most ${MAX_PLAIN_HOSTS}`);
  if (hosts + testHosts === 0 && values['no-variants']) throw new UsageError('an empty lab: use --hosts 1 or more, or keep the variants');
  assertRoot();
  const result = await labUp({ hosts, testHosts, variants: !values['no-variants'], restart: values.restart === true, log });
  if (!result.alreadyUp) {
    log(`lab: up in ${(result.elapsedMs / 1000).toFixed(1)} s — ${result.hosts.length} hosts, guests use ${result.kvm ? 'KVM' : 'TCG (software emulation)'}`);
  }
  for (const h of result.hosts) log(hostLine(h));
  log(`lab: hosts in ${relative(labHostsFilePath())}; try: ssh -F ${relative(labSshConfigPath())} ${result.hosts[0]?.name ?? 'lab1'} virsh list --all`);
}

async function down(args: string[]): Promise<void> {
  parseArgs({ args, strict: true, allowPositionals: false, options: {} });
  assertRoot('stops lab daemons and deletes network namespaces');
  await labDown({ log });
}

async function populate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { host: { type: 'string' }, vms: { type: 'string' } },
  });
  if (!values.host) throw new UsageError('populate needs --host NAME');
  const vms = integer(values.vms, '--vms');
  if (vms === undefined || vms < 1) throw new UsageError('populate needs --vms V (V >= 1)');
  assertRoot('reads the lab key');
  await labPopulate({ host: values.host, vms, log });
}

async function status(args: string[]): Promise<void> {
  parseArgs({ args, strict: true, allowPositionals: false, options: {} });
  assertRoot('inspects lab processes');
  const s = await labStatus();
  if (!s.runtime) {
    log('lab: down');
    process.exitCode = 3;
    return;
  }
  log(`lab: up since ${s.runtime.startedAt}, ${s.runtime.hosts.length} hosts, ${s.healthy ? 'healthy' : 'NOT healthy (some daemon is down)'}`);
  if (!s.healthy) process.exitCode = 1;
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { up, down, populate, status };

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const handler = command === undefined ? undefined : COMMANDS[command];
  try {
    if (!handler) throw new UsageError(command === undefined ? 'missing command' : `unknown command "${command}"`);
    await handler(rest);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof LabPermissionError) {
      console.error(err.message);
      return 2;
    }
    // parseArgs reports unknown or malformed flags with these codes.
    const code = (err as NodeJS.ErrnoException).code;
    if (err instanceof UsageError || code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      console.error(`lab: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

process.exit(await main());

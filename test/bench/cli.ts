/**
 * `npm run bench -- NAME [options]`: benchmarks against the lab, one JSON object per line.
 *   tree --hosts H --vms V [--driver libvirtd|test]   connect-to-tree time against a bare OpenSSH
 *                            script, where the time goes, event-to-UI latency, heap, main RSS
 *   replay [--hosts 50 --vms 300]   the renderer alone, fed a recorded arrival (from tree)
 */
import { parseArgs } from 'node:util';
import { runReplayBench } from './replayBench.js';
import { runTreeBench } from './treeBench.js';

const [name, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run bench -- tree --hosts H --vms V [--runs N] [--driver libvirtd|test]';

async function main(): Promise<void> {
  if (name === 'replay') {
    const { values } = parseArgs({
      args: rest,
      options: { hosts: { type: 'string', default: '50' }, vms: { type: 'string', default: '300' }, runs: { type: 'string', default: '3' }, profile: { type: 'string' } },
    });
    await runReplayBench({ hosts: Number(values.hosts), vms: Number(values.vms), runs: Number(values.runs), profile: values.profile, log: (line) => console.log(JSON.stringify(line)) });
    return;
  }
  if (name !== 'tree') {
    console.error(`bench: unknown benchmark ${name ?? '(none)'}\n${usage}`);
    process.exit(2);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      hosts: { type: 'string', default: '1' },
      vms: { type: 'string', default: '300' },
      runs: { type: 'string', default: '3' },
      driver: { type: 'string', default: 'libvirtd' },
    },
  });
  const driver = values.driver;
  if (driver !== 'libvirtd' && driver !== 'test') {
    console.error(`bench: --driver is libvirtd or test, not ${driver}\n${usage}`);
    process.exit(2);
  }
  const hosts = Number(values.hosts);
  const vms = Number(values.vms);
  const runs = Number(values.runs);
  if (![hosts, vms, runs].every((n) => Number.isInteger(n) && n > 0) || hosts > 190) {
    console.error(`bench: --hosts (1..190), --vms and --runs must be positive whole numbers\n${usage}`);
    process.exit(2);
  }
  if (process.getuid?.() !== 0) {
    console.error('bench: must run as root (it uses the lab: network namespaces, libvirtd, sshd)');
    process.exit(2);
  }
  await runTreeBench({ hosts, vms, runs, driver, log: (line) => console.log(JSON.stringify(line)) });
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

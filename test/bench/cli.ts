/**
 * `npm run bench -- NAME [options]`: benchmarks against the lab, one JSON object per line.
 *   tree --hosts H --vms V   connect-to-tree time, event-to-UI latency, renderer heap, main RSS
 *   xml [--runs N]           domain XML parse and model read per domain (no lab, no root)
 *   stream [--mb M]          M MiB (default 1024) from a lab host into the page through a contract stream
 *   files [--mb M]           the file primitive up and down, against scp and SFTP, in the same run
 */
import { parseArgs } from 'node:util';
import { runTreeBench } from './treeBench.js';
import { runFilesBench } from './filesBench.js';
import { runStreamBench } from './streamBench.js';
import { runXmlBench } from './xmlBench.js';

const [name, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run bench -- tree --hosts H --vms V [--runs N] | xml [--runs N] | stream [--mb M] | files [--mb M]';

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    console.error('bench: must run as root (it uses the lab: network namespaces, libvirtd, sshd)');
    process.exit(2);
  }
}

async function main(): Promise<void> {
  if (name === 'xml') {
    const { values } = parseArgs({ args: rest, options: { runs: { type: 'string', default: '5' } } });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs <= 0) {
      console.error(`bench: --runs must be a positive whole number\n${usage}`);
      process.exit(2);
    }
    runXmlBench({ runs, log: (line) => console.log(JSON.stringify(line)) });
    return;
  }
  if (name === 'stream' || name === 'files') {
    const { values } = parseArgs({ args: rest, options: { mb: { type: 'string', default: '1024' } } });
    const mb = Number(values.mb);
    if (!Number.isInteger(mb) || mb <= 0) {
      console.error(`bench: --mb must be a positive whole number\n${usage}`);
      process.exit(2);
    }
    requireRoot();
    const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));
    await (name === 'stream' ? runStreamBench({ mb, log }) : runFilesBench({ mb, log }));
    return;
  }
  if (name !== 'tree') {
    console.error(`bench: unknown benchmark ${name ?? '(none)'}\n${usage}`);
    process.exit(2);
  }
  const { values } = parseArgs({
    args: rest,
    options: { hosts: { type: 'string', default: '1' }, vms: { type: 'string', default: '300' }, runs: { type: 'string', default: '3' } },
  });
  const hosts = Number(values.hosts);
  const vms = Number(values.vms);
  const runs = Number(values.runs);
  if (![hosts, vms, runs].every((n) => Number.isInteger(n) && n > 0) || hosts > 190) {
    console.error(`bench: --hosts (1..190), --vms and --runs must be positive whole numbers\n${usage}`);
    process.exit(2);
  }
  requireRoot();
  await runTreeBench({ hosts, vms, runs, log: (line) => console.log(JSON.stringify(line)) });
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

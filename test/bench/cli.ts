/**
 * `npm run bench -- NAME [options]`: benchmarks, one JSON object per line (the last is the summary).
 *   tree --hosts H --vms V [--runs N] [--driver libvirtd|test]
 *                      connect-to-tree time against a bare OpenSSH script in the same run, where
 *                      the time goes (main and page), event-to-UI latency, heap, main RSS
 *   replay [--hosts 50 --vms 300] [--runs N] [--profile FILE] [--trace FILE] [--screenshot PNG] [--language zh-CN] [--renderer DIR]
 *                      the renderer alone, fed the arrival the tree benchmark recorded
 *   outage [--seconds 120] [--runs 3]   a host's sshd gone for that long: how soon it is back
 *   start [--runs 3]   `npm run web` with nothing changed: command → URL → tree
 *   xml [--runs N]     domain XML parse and model read per domain (no lab, no root)
 *   stream [--mb M]    M MiB (default 1024) from a lab host into the page through a contract stream
 *   files [--mb M]     the file primitive up and down, against scp and SFTP, in the same run
 *   console [--runs N] [--updates U]  first VNC frame, serial echo, VNC tunnel against ssh -L
 *   install [--runs N] the wizard's URL install to the installer's first console line, against virt-install
 *   upload [--mb M]    M MiB into a storage pool and back through the UI in web mode, against scp
 *   advisor [--hosts 50 --vms 300] [--runs N]  the fleet advisor's findings over test-driver hosts:
 *                      main's CPU per computation and commands per VM (no lab, no root)
 */
import { parseArgs } from 'node:util';
import { runAdvisorBench } from './advisorBench.js';
import { runConsoleBench } from './consoleBench.js';
import { runFilesBench } from './filesBench.js';
import { runInstallBench } from './installBench.js';
import { runOutageBench } from './outageBench.js';
import { runReplayBench } from './replayBench.js';
import { runStartBench } from './startBench.js';
import { runStreamBench } from './streamBench.js';
import { runUploadBench } from './uploadBench.js';
import { runTreeBench } from './treeBench.js';
import { runXmlBench } from './xmlBench.js';

const [name, ...rest] = process.argv.slice(2);
const usage = [
  'usage: npm run bench -- tree --hosts H --vms V [--runs N] [--driver libvirtd|test]',
  '       npm run bench -- replay [--hosts 50 --vms 300] [--runs N] [--profile FILE] [--trace FILE] [--screenshot PNG] [--language zh-CN] [--renderer DIR]',
  '       npm run bench -- outage [--seconds 120] [--runs 3]',
  '       npm run bench -- start [--runs 3]',
  '       npm run bench -- xml [--runs N]',
  '       npm run bench -- stream [--mb M] | files [--mb M]',
  '       npm run bench -- console [--runs N] [--updates U]',
  '       npm run bench -- stream [--mb M] | files [--mb M] | upload [--mb M] | install [--runs N]',
  '       npm run bench -- advisor [--hosts 50 --vms 300] [--runs N]',
].join('\n');
const log = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

function positive(values: Record<string, string | boolean | undefined>, ...keys: string[]): number[] {
  const numbers = keys.map((key) => Number(values[key]));
  if (!numbers.every((n) => Number.isInteger(n) && n > 0)) {
    console.error(`bench: ${keys.map((key) => `--${key}`).join(', ')} must be positive whole numbers\n${usage}`);
    process.exit(2);
  }
  return numbers;
}

function requireRoot(): void {
  if (process.getuid?.() !== 0) {
    console.error('bench: must run as root (it uses the lab: network namespaces, libvirtd, sshd)');
    process.exit(2);
  }
}

async function main(): Promise<void> {
  switch (name) {
    case 'advisor': {
      const { values } = parseArgs({ args: rest, options: { hosts: { type: 'string', default: '50' }, vms: { type: 'string', default: '300' }, runs: { type: 'string', default: '5' } } });
      const [hosts, vms, runs] = positive(values, 'hosts', 'vms', 'runs');
      await runAdvisorBench({ hosts: hosts!, vms: vms!, runs: runs!, log });
      return;
    }
    case 'xml': {
      const { values } = parseArgs({ args: rest, options: { runs: { type: 'string', default: '5' } } });
      const [runs] = positive(values, 'runs');
      runXmlBench({ runs: runs!, log });
      return;
    }
    case 'stream':
    case 'upload':
    case 'files': {
      const { values } = parseArgs({ args: rest, options: { mb: { type: 'string', default: '1024' } } });
      const [mb] = positive(values, 'mb');
      requireRoot();
      await (name === 'stream' ? runStreamBench({ mb: mb!, log }) : name === 'upload' ? runUploadBench({ mb: mb!, log }) : runFilesBench({ mb: mb!, log }));
      return;
    }
    case 'install': {
      const { values } = parseArgs({ args: rest, options: { runs: { type: 'string', default: '1' }, only: { type: 'string' } } });
      const [runs] = positive(values, 'runs');
      requireRoot();
      const only = values.only === 'app' || values.only === 'virt-install' ? values.only : undefined;
      await runInstallBench({ runs: runs!, log, ...(only ? { only } : {}) });
      return;
    }
    case 'console': {
      const { values } = parseArgs({ args: rest, options: { runs: { type: 'string', default: '5' }, updates: { type: 'string', default: '200' } } });
      const [runs, updates] = positive(values, 'runs', 'updates');
      requireRoot();
      await runConsoleBench({ runs: runs!, updates: updates!, log });
      return;
    }
    case 'replay': {
      const { values } = parseArgs({
        args: rest,
        options: {
          hosts: { type: 'string', default: '50' },
          vms: { type: 'string', default: '300' },
          runs: { type: 'string', default: '3' },
          profile: { type: 'string' },
          trace: { type: 'string' },
          screenshot: { type: 'string' },
          language: { type: 'string', default: 'en' },
          renderer: { type: 'string' },
        },
      });
      const [hosts, vms, runs] = positive(values, 'hosts', 'vms', 'runs');
      const language = values.language === 'zh-CN' ? 'zh-CN' : 'en';
      await runReplayBench({ hosts: hosts!, vms: vms!, runs: runs!, profile: values.profile, trace: values.trace, screenshot: values.screenshot, language, rendererDir: values.renderer, log });
      return;
    }
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { runs: { type: 'string', default: '3' } } });
      const [runs] = positive(values, 'runs');
      await runStartBench({ runs: runs!, log });
      return;
    }
    case 'outage': {
      const { values } = parseArgs({ args: rest, options: { seconds: { type: 'string', default: '120' }, runs: { type: 'string', default: '3' } } });
      const [seconds, runs] = positive(values, 'seconds', 'runs');
      requireRoot();
      await runOutageBench({ seconds: seconds!, runs: runs!, log });
      return;
    }
    case 'tree': {
      const { values } = parseArgs({
        args: rest,
        options: {
          hosts: { type: 'string', default: '1' },
          vms: { type: 'string', default: '300' },
          runs: { type: 'string', default: '3' },
          driver: { type: 'string', default: 'libvirtd' },
        },
      });
      const [hosts, vms, runs] = positive(values, 'hosts', 'vms', 'runs');
      const driver = values.driver;
      if (driver !== 'libvirtd' && driver !== 'test') {
        console.error(`bench: --driver is libvirtd or test, not ${driver}\n${usage}`);
        process.exit(2);
      }
      if (hosts! > 190) {
        console.error(`bench: --hosts is at most 190\n${usage}`);
        process.exit(2);
      }
      requireRoot();
      await runTreeBench({ hosts: hosts!, vms: vms!, runs: runs!, driver, log });
      return;
    }
    default:
      console.error(`bench: unknown benchmark ${name ?? '(none)'}\n${usage}`);
      process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});

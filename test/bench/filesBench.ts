/**
 * The file primitive against the references, in one run on one lab host: M MiB up and down
 * through connection/hostFiles.ts (an exec channel), through ssh2's own SFTP client
 * (fastPut/fastGet, 64 requests in flight) — the alternative it was chosen over — and through
 * OpenSSH's scp.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { putFile, readFile as readHostFile } from '../../main/connection/hostFiles.js';
import { labExec, labKnownHostsPath, labSshConfigPath, labUp, readLabHost, readLabHosts, readLabKnownHosts } from '../lab/index.js';
import { connectLab } from '../support/labConnection.js';
import { round1 } from './webModeProcess.js';

export interface FilesBenchOptions {
  mb: number;
  log(line: Record<string, unknown>): void;
}

const HOST = 'lab1';

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return Date.now() - started;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
  });
}

async function sftpClient(): Promise<{ sftp: ssh2.SFTPWrapper; end(): void }> {
  const host = await readLabHost(HOST);
  const key = await readFile(host.keyFile ?? '');
  const known = (await readLabKnownHosts()).get(host.address) ?? [];
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({ host: host.address, port: host.port, username: host.user, privateKey: key, hostVerifier: (presented: Buffer) => known.some((entry) => entry.equals(presented)) });
  });
  const sftp = await new Promise<ssh2.SFTPWrapper>((resolve, reject) => client.sftp((error, wrapper) => (error ? reject(error) : resolve(wrapper))));
  return { sftp, end: () => client.end() };
}

export async function runFilesBench(options: FilesBenchOptions): Promise<void> {
  const { log, mb } = options;
  const bytes = mb * 1024 * 1024;
  const lab = (await readLabHosts().catch(() => [])).some((host) => host.name === HOST) ? { kvm: (await readLabHost(HOST)).kvm } : await labUp({ hosts: 1 });
  const dir = await mkdtemp(join(tmpdir(), 'vd-files-bench-'));
  const local = join(dir, 'source.bin');
  const remote = (name: string) => `/var/tmp/vd-files-bench-${name}.bin`;
  await run('sh', ['-c', `head -c ${mb}M /dev/zero > ${local}`]);
  const configDir = join(dir, 'config');
  const connection = await connectLab(HOST, { configDir });
  const { sftp, end } = await sftpClient();
  const mbS = (ms: number) => round1(mb / (ms / 1000));
  try {
    const primitiveUp = await timed(() => putFile(connection, remote('primitive'), createReadStream(local, { highWaterMark: 256 * 1024 }), { size: bytes, overwrite: true }));
    const primitiveDown = await timed(async () => {
      const reader = await readHostFile(connection, remote('primitive'));
      const out = createWriteStream(join(dir, 'primitive.bin'));
      reader.onData((chunk) => {
        if (!out.write(chunk)) {
          reader.pause();
          out.once('drain', () => reader.resume());
        }
      });
      await new Promise<void>((resolve, reject) => reader.onEnd((error) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve) => out.end(resolve));
    });
    const sftpUp = await timed(() => new Promise<void>((resolve, reject) => sftp.fastPut(local, remote('sftp'), { concurrency: 64, chunkSize: 32768 }, (error) => (error ? reject(error) : resolve()))));
    const sftpDown = await timed(() => new Promise<void>((resolve, reject) => sftp.fastGet(remote('sftp'), join(dir, 'sftp.bin'), { concurrency: 64, chunkSize: 32768 }, (error) => (error ? reject(error) : resolve()))));
    const scpArgs = ['-q', '-F', labSshConfigPath(), '-o', `UserKnownHostsFile=${labKnownHostsPath()}`, '-o', 'BatchMode=yes'];
    const scpUp = await timed(() => run('scp', [...scpArgs, local, `${HOST}:${remote('scp')}`]));
    const scpDown = await timed(() => run('scp', [...scpArgs, `${HOST}:${remote('scp')}`, join(dir, 'scp.bin')]));
    log({
      bench: 'files',
      mb,
      kvm: lab.kvm,
      primitive_up_mb_s: mbS(primitiveUp),
      primitive_down_mb_s: mbS(primitiveDown),
      sftp_up_mb_s: mbS(sftpUp),
      sftp_down_mb_s: mbS(sftpDown),
      scp_up_mb_s: mbS(scpUp),
      scp_down_mb_s: mbS(scpDown),
      up_ratio_to_scp: Math.round((scpUp / primitiveUp) * 100) / 100,
      down_ratio_to_scp: Math.round((scpDown / primitiveDown) * 100) / 100,
    });
  } finally {
    end();
    connection.dispose();
    await labExec(HOST, ['sh', '-c', 'rm -f /var/tmp/vd-files-bench-*.bin']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

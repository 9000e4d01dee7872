// The connection layer's primitives against the lab's real sshd: files to and from a host
// (atomic, byte-identical, cancellable), tunnels to TCP ports and unix sockets (with the helper
// fallback where sshd refuses stream-local forwarding), ptys with resize, and long work on its
// own channel that can be cancelled (the remote process is killed).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByteChannel } from '../../main/connection/byteChannel.js';
import { putFile, readFile, readWholeFile, removeFiles } from '../../main/connection/hostFiles.js';
import type { HostProcess } from '../../main/connection/hostProcess.js';
import { runRemoteJob } from '../../main/connection/remoteJob.js';
import type { SshConnection } from '../../main/connection/sshConnection.js';
import { VirshSession } from '../../main/libvirt/virshSession.js';
import { ContractError } from '../../preload/contract.js';
import { LAB_SUDO_USER, labExec, readLabHost } from '../lab/index.js';
import { GiB, MiB, testBytes } from '../support/byteSource.js';
import { connectLab } from '../support/labConnection.js';
import { tcpEcho, unixEcho, type LabServer } from '../support/labServers.js';
import { waitFor } from '../support/appEvents.js';

const HOST = 'lab1';
const tag = randomBytes(4).toString('hex');
const work = `/var/tmp/vd-prim-${tag}`;
let dir: string;
let lab1: SshConnection;
const servers: LabServer[] = [];
const connections: SshConnection[] = [];

async function onHost(host: string, script: string): Promise<string> {
  const result = await labExec(host, ['sh', '-c', script]);
  if (result.code !== 0) throw new Error(`${script}: ${result.stderr}`);
  return result.stdout.trim();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vd-prim-'));
  lab1 = await connectLab(HOST, { configDir: dir });
  connections.push(lab1);
  const user = (await readLabHost(HOST)).user;
  await onHost(HOST, `mkdir -p ${work} && chown ${user}: ${work}`);
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const connection of connections) connection.dispose();
  await labExec(HOST, ['rm', '-rf', work]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function leftovers(folder: string): Promise<string> {
  return onHost(HOST, `ls -A ${folder} | grep vdpart || true`);
}

describe('files to and from a host', () => {
  it('uploads 1 GiB byte-identical, then downloads 1 GiB byte-identical', { timeout: 240_000 }, async () => {
    const path = `${work}/upload.bin`;
    const source = testBytes(GiB, 7);
    let progress = 0;
    await putFile(lab1, path, source, { size: GiB, mode: 0o640, onProgress: (bytes) => (progress = bytes) });
    expect(progress).toBe(GiB);
    expect(await onHost(HOST, `sha256sum ${path} | cut -d' ' -f1`)).toBe(source.sha256());
    expect(await onHost(HOST, `stat -c %a ${path}`)).toBe('640');
    expect(await leftovers(work)).toBe('');

    const reader = await readFile(lab1, path);
    expect(reader.size).toBe(GiB);
    const hash = createHash('sha256');
    let received = 0;
    reader.onData((chunk) => {
      hash.update(chunk);
      received += chunk.length;
    });
    await new Promise<void>((resolve, reject) => reader.onEnd((error) => (error ? reject(error) : resolve())));
    expect(received).toBe(GiB);
    expect(hash.digest('hex')).toBe(source.sha256());
  });

  it('a cancelled upload leaves no file and no temporary file', { timeout: 120_000 }, async () => {
    const path = `${work}/cancelled.bin`;
    const controller = new AbortController();
    const source = testBytes(GiB, 8);
    const upload = putFile(lab1, path, source, {
      size: GiB,
      signal: controller.signal,
      onProgress: (bytes) => {
        if (bytes >= 64 * MiB) controller.abort();
      },
    });
    await expect(upload).rejects.toMatchObject({ code: 'cancelled' });
    await waitFor('the temporary file to go', async () => ((await leftovers(work)) === '' ? true : undefined), 20_000);
    expect(await onHost(HOST, `test -e ${path} && echo yes || echo no`)).toBe('no');
  });

  it('a transfer cut short (fewer bytes than announced) keeps nothing', async () => {
    const path = `${work}/short.bin`;
    await expect(putFile(lab1, path, Buffer.alloc(1000, 1), { size: 2000 })).rejects.toMatchObject({ code: 'file-error' });
    expect(await onHost(HOST, `test -e ${path} && echo yes || echo no`)).toBe('no');
    expect(await leftovers(work)).toBe('');
  });

  it('never overwrites an existing file unless asked, and says why', async () => {
    const path = `${work}/kept.txt`;
    await putFile(lab1, path, 'first\n', { size: 6 });
    await expect(putFile(lab1, path, 'second\n', { size: 7 })).rejects.toMatchObject({ code: 'file-error', message: expect.stringContaining('already exists') });
    expect((await readWholeFile(lab1, path)).toString()).toBe('first\n');
    await putFile(lab1, path, 'second\n', { size: 7, overwrite: true });
    expect((await readWholeFile(lab1, path)).toString()).toBe('second\n');
    await removeFiles(lab1, [path]);
    expect(await onHost(HOST, `test -e ${path} && echo yes || echo no`)).toBe('no');
  });

  it('reports a missing folder, a folder it may not write and a missing file clearly', async () => {
    await expect(putFile(lab1, '/nonexistent-dir/x', 'x', { size: 1 })).rejects.toMatchObject({ code: 'file-error', message: expect.stringContaining('does not exist') });
    await expect(putFile(lab1, '/root/x', 'x', { size: 1 })).rejects.toMatchObject({ code: 'file-error' });
    await expect(putFile(lab1, 'relative/x', 'x', { size: 1 })).rejects.toMatchObject({ code: 'bad-arguments' });
    await expect(readFile(lab1, `${work}/no-such-file`)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('writes where only root may, through sudo -n, with owner and mode', async () => {
    const sudo = await connectLab(HOST, { user: LAB_SUDO_USER, configDir: dir });
    connections.push(sudo);
    const path = `/var/lib/libvirt/images/vd-prim-${tag}.txt`;
    await expect(putFile(sudo, path, 'x', { size: 1 })).rejects.toBeInstanceOf(ContractError);
    await putFile(sudo, path, 'root-owned\n', { size: 11, asRoot: true, owner: 'root:root', mode: 0o644 });
    expect(await onHost(HOST, `stat -c '%U:%G %a' ${path}`)).toBe('root:root 644');
    expect((await readWholeFile(sudo, path, { asRoot: true })).toString()).toBe('root-owned\n');
    await removeFiles(sudo, [path], { asRoot: true });
  });

  it('keeps names with quotes, dollars and spaces exact', async () => {
    const path = `${work}/it's $(touch pwned) a;file`;
    await putFile(lab1, path, 'ok', { size: 2 });
    expect(await onHost(HOST, `cat "${work}/it's \\$(touch pwned) a;file"`)).toBe('ok');
    // Had any shell run the name, `touch pwned` would have made a file in the user's home.
    expect(await onHost(HOST, `ls -A /home/${(await readLabHost(HOST)).user} ${work} | grep -cx pwned || true`)).toBe('0');
  });
});

function echoThrough(channel: ByteChannel, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let received = '';
    channel.onData((data) => {
      received += data.toString('utf8');
      if (received.length >= message.length) resolve(received);
    });
    channel.onClose((error) => (error ? reject(error) : undefined));
    channel.write(Buffer.from(message));
  });
}

describe('tunnels', () => {
  it('carries data both ways to a TCP port on the host (direct-tcpip)', async () => {
    servers.push(await tcpEcho(HOST, 17801));
    const channel = await waitFor('the echo server', () => lab1.openTunnel({ kind: 'tcp', host: '127.0.0.1', port: 17801 }).catch(() => undefined), 10_000);
    expect(await echoThrough(channel, 'hello over tcp')).toBe('hello over tcp');
    channel.dispose();
  });

  it('carries data both ways to a unix socket (stream-local forwarding)', async () => {
    const socket = `/tmp/vd-echo-${tag}.sock`;
    servers.push(await unixEcho(HOST, socket));
    const channel = await waitFor('the echo socket', () => lab1.openTunnel({ kind: 'unix', path: socket }).catch(() => undefined), 10_000);
    expect(await echoThrough(channel, 'hello over a unix socket')).toBe('hello over a unix socket');
    channel.dispose();
  });

  it('falls back to a helper on the host where sshd refuses stream-local forwarding', async () => {
    const jumpHost = await readLabHost('jump');
    expect(jumpHost.streamLocalForwarding).toBe(false);
    const jump = await connectLab('jump', { configDir: dir });
    connections.push(jump);
    const socket = `/tmp/vd-echo-${tag}.sock`;
    servers.push(await unixEcho('jump', socket));
    const channel = await waitFor('the echo socket on jump', () => jump.openTunnel({ kind: 'unix', path: socket }).catch(() => undefined), 10_000);
    const big = 'x'.repeat(300_000);
    expect(await echoThrough(channel, big)).toBe(big);
    channel.dispose();
  });
});

function readUntil(process: HostProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; got: ${JSON.stringify(text.slice(-500))}`));
    }, timeoutMs);
    const sub = process.onStdout((chunk) => {
      text += chunk.toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(text);
      }
    });
  });
}

describe('ptys', () => {
  it('runs a command on a pty of the asked size, and a resize reaches it', async () => {
    const process = lab1.spawn(['sh', '-c', 'stty size; read line; stty size; read line'], { pty: { rows: 30, cols: 100 } });
    await readUntil(process, /30 100/, 10_000);
    process.resize({ rows: 41, cols: 123 });
    // The resize is a separate request; give it a moment by waiting for the shell to see it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.write('\r');
    await readUntil(process, /41 123/, 10_000);
    process.write('\r');
    await new Promise<void>((resolve) => process.onExit(() => resolve()));
  });
});

describe('long work on its own channel', () => {
  it('a 60 s command does not hold up the virsh session; cancelling it kills the remote process', { timeout: 60_000 }, async () => {
    const session = await VirshSession.start(lab1, 'qemu:///system');
    try {
      const controller = new AbortController();
      // A unique duration finds the sleep; it runs as a child of the job's shell, so killing only
      // the shell would leave it running.
      const marker = `sleep 60.${parseInt(tag, 16) % 100000}`;
      const job = runRemoteJob(lab1, ['sh', '-c', `${marker}; true`], { signal: controller.signal });
      await waitFor('the long command to run on the host', async () => ((await onHost(HOST, `pgrep -f '[${marker.slice(0, 1)}]${marker.slice(1)}' || true`)) !== '' ? true : undefined), 10_000);
      const started = Date.now();
      await session.runChecked(['list', '--all']);
      await session.runChecked(['domstats', '--raw', '--state']);
      expect(Date.now() - started).toBeLessThan(5_000);
      controller.abort();
      await expect(job).rejects.toMatchObject({ code: 'cancelled' });
      await waitFor('the remote process to be gone', async () => ((await onHost(HOST, `pgrep -f '[${marker.slice(0, 1)}]${marker.slice(1)}' || true`)) === '' ? true : undefined), 10_000);
    } finally {
      session.dispose();
    }
  });

  it('a job that times out is killed and says so', async () => {
    const marker = `sleep 30.${parseInt(tag, 16) % 100000}`;
    await expect(runRemoteJob(lab1, ['sh', '-c', `${marker}; true`], { timeoutMs: 1_500 })).rejects.toMatchObject({ code: 'timeout' });
    await waitFor('the timed-out process to be gone', async () => ((await onHost(HOST, `pgrep -f '[${marker.slice(0, 1)}]${marker.slice(1)}' || true`)) === '' ? true : undefined), 10_000);
  });

  it('returns output and exit code, and feeds stdin with flow control', async () => {
    const input = testBytes(32 * MiB, 3);
    const result = await runRemoteJob(lab1, ['sh', '-c', 'sha256sum | cut -d" " -f1; echo done >&2; exit 3'], { input });
    expect(result.code).toBe(3);
    expect(result.stdout.trim()).toBe(input.sha256());
    expect(result.stderr).toBe('done');
  });
});

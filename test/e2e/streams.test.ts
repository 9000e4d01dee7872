// Contract streams through the real transports, from the page in Chromium (web mode: one
// WebSocket per stream, the credit window in both directions): an upload of bytes the page
// made lands byte-identical on a lab host, a download brings them back byte-identical, a
// tunnel reaches a port on the host, a failed open says why — and calls on the main socket
// keep being answered while a stream is busy.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractClient } from '../../preload/contract.js';
import { labExec, labKnownHostsPath } from '../lab/index.js';
import { labProfileFields } from '../support/labApp.js';
import { tcpEcho, type LabServer } from '../support/labServers.js';
import { startHarness, type Harness } from './webModeHarness.js';

const HOST = 'lab1';
const tag = randomBytes(3).toString('hex');
const path = `/var/tmp/vd-e2e-stream-${tag}.bin`;
let harness: Harness;
let hostId: string;
let echo: LabServer | undefined;

declare global {
  interface Window {
    virtdeckClient: ContractClient;
  }
}

beforeAll(async () => {
  harness = await startHarness({
    includeLocal: false,
    includeDemo: false,
    prepare: async (configDir) => writeFile(join(configDir, 'known_hosts'), await readFile(labKnownHostsPath(), 'utf8')),
  });
  const profile = await harness.contract.call('profiles.create', { fields: await labProfileFields(HOST) });
  hostId = profile.id;
  await harness.page.locator(`[data-testid="tree-host"][data-host-id="${hostId}"][data-status="connected"]`).waitFor({ timeout: 60_000 });
  await harness.page.waitForFunction(() => 'virtdeckClient' in window);
});

afterAll(async () => {
  await echo?.stop();
  await labExec(HOST, ['rm', '-f', path]).catch(() => undefined);
  await harness?.close();
});

describe('streams from the page (web mode)', () => {
  it('uploads bytes the page made and downloads them back, byte-identical, with calls answered meanwhile', { timeout: 120_000 }, async () => {
    const result = await harness.page.evaluate(
      async ({ hostId: id, path: file }) => {
        const client = window.virtdeckClient;
        const size = 24 * 1024 * 1024;
        // Deterministic bytes, made in the page.
        const data = new Uint8Array(size);
        let x = 2463534242;
        for (let i = 0; i < size; i += 1) {
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          data[i] = x & 0xff;
        }
        const sha = async (bytes: Uint8Array<ArrayBuffer>) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
        const latencies: number[] = [];
        let busy = true;
        const calls = (async () => {
          while (busy) {
            const started = performance.now();
            await client.call('hosts.list', {});
            latencies.push(performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        })();
        const upload = await client.openStream('file.upload', { hostId: id, path: file, size, mode: 0o644 });
        const uploaded = new Promise((resolve) => upload.onClose((error) => resolve(error ?? null)));
        for (let offset = 0; offset < size; offset += 1024 * 1024) await upload.write(data.subarray(offset, offset + 1024 * 1024));
        upload.end();
        const uploadError = await uploaded;

        const download = await client.openStream('file.download', { hostId: id, path: file });
        const received = new Uint8Array(size);
        let at = 0;
        download.onData((chunk) => {
          received.set(chunk, at);
          at += chunk.byteLength;
        });
        const downloadError = await new Promise((resolve) => download.onClose((error) => resolve(error ?? null)));
        busy = false;
        await calls;
        return { uploadError, downloadError, received: at, sent: await sha(data), back: await sha(received), calls: latencies.length };
      },
      { hostId, path },
    );
    expect(result.uploadError).toBeNull();
    expect(result.downloadError).toBeNull();
    expect(result.received).toBe(24 * 1024 * 1024);
    expect(result.back).toBe(result.sent);
    const onHost = await labExec(HOST, ['sh', '-c', `sha256sum ${path} | cut -d' ' -f1`]);
    expect(onHost.stdout.trim()).toBe(result.sent);
    expect(result.calls).toBeGreaterThan(0);
  });

  it('a tunnel stream reaches a port on the host and back', async () => {
    echo = await tcpEcho(HOST, 17803);
    const answer = await harness.page.evaluate(async (id) => {
      const client = window.virtdeckClient;
      for (let attempt = 0; attempt < 50; attempt += 1) {
        try {
          const stream = await client.openStream('host.tunnel', { hostId: id, target: { kind: 'tcp', host: '127.0.0.1', port: 17803 } });
          let text = '';
          const got = new Promise<string>((resolve) => {
            stream.onData((chunk) => {
              text += new TextDecoder().decode(chunk);
              if (text.length >= 12) resolve(text);
            });
          });
          await stream.write(new TextEncoder().encode('hello tunnel'));
          const reply = await got;
          stream.close();
          return reply;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      return 'no echo server';
    }, hostId);
    expect(answer).toBe('hello tunnel');
  });

  it('a stream that cannot open says why, in a typed error', async () => {
    const error = await harness.page.evaluate(async (id) => {
      try {
        await window.virtdeckClient.openStream('file.download', { hostId: id, path: '/nonexistent/file' });
        return null;
      } catch (caught) {
        return { code: (caught as { code?: string }).code, message: (caught as Error).message };
      }
    }, hostId);
    expect(error).toMatchObject({ code: 'not-found' });
  });
});

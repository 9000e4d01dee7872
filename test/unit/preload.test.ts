/**
 * Loads the BUILT preload (out/preload/index.cjs) the way a sandboxed renderer does — a
 * CommonJS wrapper whose `require` knows only 'electron' — with a fake electron module, and
 * checks what it exposes. This proves the bundle and its contract use; that contextBridge and
 * real IPC behave the same way is left to the Playwright _electron test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { exposedApiName, ipcChannels } from '../../preload/contract.js';

const bundlePath = fileURLToPath(new URL('../../out/preload/index.cjs', import.meta.url));

type IpcListener = (event: { ports: unknown[] }, ...args: unknown[]) => void;

interface ExposedApi {
  mode: string;
  call(name: string, args: unknown): Promise<unknown>;
  on(name: string, listener: (payload: unknown) => void): () => void;
  openStream(name: string, args: unknown): Promise<{ streamId: string }>;
}

function loadPreload() {
  if (!existsSync(bundlePath)) {
    throw new Error(`${bundlePath} is missing: run "npm run build:preload" (or "npm run build") first.`);
  }
  const listeners = new Map<string, IpcListener[]>();
  const ipcRenderer = {
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    on(channel: string, listener: IpcListener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
      return ipcRenderer;
    },
    send: vi.fn(),
    sendSync: vi.fn(),
  };
  const exposed: Array<{ name: string; api: unknown }> = [];
  const contextBridge = {
    exposeInMainWorld(name: string, api: unknown) {
      exposed.push({ name, api });
    },
  };
  const electron = { contextBridge, ipcRenderer };
  const required: string[] = [];
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`A sandboxed preload cannot require "${id}"`);
  };
  const posted: Array<{ message: unknown; targetOrigin: string; transfer: unknown[] }> = [];
  const window = {
    postMessage(message: unknown, targetOrigin: string, transfer: unknown[] = []) {
      posted.push({ message, targetOrigin, transfer });
    },
  };

  const module = { exports: {} };
  const run = vm.compileFunction(readFileSync(bundlePath, 'utf8'), ['require', 'module', 'exports', 'window'], {
    filename: bundlePath,
  });
  run(sandboxRequire, module, module.exports, window);

  const emit = (channel: string, event: { ports: unknown[] }, ...args: unknown[]): void => {
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  return { electron, ipcRenderer, exposed, required, posted, emit };
}

/** Every value reachable from `root`, functions included. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const walk = (value: unknown): void => {
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) walk(descriptor.value);
    }
  };
  walk(root);
  return [...seen];
}

describe('preload bundle', () => {
  let loaded: ReturnType<typeof loadPreload>;
  let api: ExposedApi;

  beforeEach(() => {
    loaded = loadPreload();
    api = loaded.exposed[0]?.api as ExposedApi;
  });

  it('requires nothing but electron', () => {
    expect(new Set(loaded.required)).toEqual(new Set(['electron']));
  });

  it('exposes exactly one API, named virtdeck, with exactly call/mode/on/openStream', () => {
    expect(loaded.exposed).toHaveLength(1);
    expect(loaded.exposed[0]?.name).toBe(exposedApiName);
    expect(exposedApiName).toBe('virtdeck');
    expect(Object.keys(api).sort()).toEqual(['call', 'mode', 'on', 'openStream']);
    expect(api.mode).toBe('electron');
  });

  it('never exposes ipcRenderer, contextBridge or the electron module', () => {
    const values = reachable(api);
    expect(values).not.toContain(loaded.ipcRenderer);
    expect(values).not.toContain(loaded.ipcRenderer.invoke);
    expect(values).not.toContain(loaded.electron);
    expect(values).not.toContain(loaded.electron.contextBridge);
  });

  it('rejects an unknown call without touching IPC', async () => {
    await expect(api.call('no.such.call', {})).rejects.toMatchObject({ code: 'unknown-call' });
    expect(loaded.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('sends a known call on the call channel and resolves to the result', async () => {
    const hosts = [{ id: 'local', label: 'This computer' }];
    loaded.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: hosts });
    await expect(api.call('hosts.list', {})).resolves.toEqual(hosts);
    expect(loaded.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
    expect(loaded.ipcRenderer.invoke).toHaveBeenCalledWith(ipcChannels.call, 'hosts.list', {});
  });

  it('rejects with the typed error shape main sent', async () => {
    const error = { code: 'bad-arguments', message: 'Bad arguments for hosts.reconnect', detail: 'hostId' };
    loaded.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error });
    await expect(api.call('hosts.reconnect', {})).rejects.toEqual(error);
  });

  it('rejects a malformed reply as internal', async () => {
    loaded.ipcRenderer.invoke.mockResolvedValueOnce('surprise');
    await expect(api.call('hosts.list', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('refuses unknown event names', () => {
    expect(() => api.on('no.such.event', () => {})).toThrow(/Unknown event/);
  });

  it('delivers events of the subscribed name only, until unsubscribed', () => {
    const received: unknown[] = [];
    const off = api.on('host.changed', (payload) => received.push(payload));
    loaded.emit(ipcChannels.event, { ports: [] }, 'host.changed', { id: 'a' });
    loaded.emit(ipcChannels.event, { ports: [] }, 'hosts.changed', [{ id: 'b' }]);
    loaded.emit(ipcChannels.event, { ports: [] }, 'host.changed', { id: 'c' });
    expect(received).toEqual([{ id: 'a' }, { id: 'c' }]);
    off();
    loaded.emit(ipcChannels.event, { ports: [] }, 'host.changed', { id: 'd' });
    expect(received).toHaveLength(2);
  });

  it('hands a stream port to the page with window.postMessage, whichever arrives first', async () => {
    const portA = { name: 'port-a' };
    loaded.ipcRenderer.invoke.mockImplementationOnce(async () => {
      // Port before the reply.
      loaded.emit(ipcChannels.streamPort, { ports: [portA] }, { streamId: 's1' });
      return { ok: true, streamId: 's1' };
    });
    await expect(api.openStream('host.virshShell', { hostId: 'local' })).resolves.toEqual({ streamId: 's1' });
    expect(loaded.ipcRenderer.invoke).toHaveBeenLastCalledWith(ipcChannels.streamOpen, 'host.virshShell', {
      hostId: 'local',
    });
    expect(loaded.posted).toEqual([{ message: { virtdeckStreamPort: 's1' }, targetOrigin: '*', transfer: [portA] }]);

    // Reply before the port.
    const portB = { name: 'port-b' };
    loaded.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, streamId: 's2' });
    const opening = api.openStream('host.virshShell', { hostId: 'local' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    loaded.emit(ipcChannels.streamPort, { ports: [portB] }, { streamId: 's2' });
    await expect(opening).resolves.toEqual({ streamId: 's2' });
    expect(loaded.posted[1]).toEqual({ message: { virtdeckStreamPort: 's2' }, targetOrigin: '*', transfer: [portB] });
  });

  it('rejects an unknown stream without IPC, and passes on a refusal from main', async () => {
    await expect(api.openStream('no.such.stream', {})).rejects.toMatchObject({ code: 'unknown-call' });
    expect(loaded.ipcRenderer.invoke).not.toHaveBeenCalled();
    loaded.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'unknown-host', message: 'x' } });
    await expect(api.openStream('host.virshShell', { hostId: 'nope' })).rejects.toMatchObject({ code: 'unknown-host' });
    expect(loaded.posted).toHaveLength(0);
  });
});

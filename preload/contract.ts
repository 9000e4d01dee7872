/**
 * The one contract between main and renderer.
 *
 * Every request/response call, every server-pushed event and every byte stream is declared
 * in one module per feature under contract/, with a zod schema for what crosses the boundary,
 * and gathered here. main implements it as a registry of handlers (main/core/registry.ts) that
 * knows no transport; the Electron IPC adapter and the web-mode WebSocket adapter both serve
 * that registry, and the renderer talks to it through `ContractClient` whichever transport it
 * picked. XML never crosses this line except in the XML editor.
 */
import { advisorCalls, advisorEvents } from './contract/advisor.js';
import { appCalls } from './contract/app.js';
import { diagnosticsCalls } from './contract/diagnostics.js';
import { hostCalls, hostEvents } from './contract/hosts.js';
import { inventoryCalls, inventoryEvents, statsCalls, statsEvents } from './contract/inventory.js';
import { profileCalls, profileEvents } from './contract/profiles.js';
import { promptCalls, promptEvents } from './contract/prompts.js';
import { streams } from './contract/streams.js';
import { storageCalls } from './contract/storage.js';
import { taskCalls, taskEvents } from './contract/tasks.js';
import { vmCalls } from './contract/vms.js';
import { snapshotCalls } from './contract/snapshots.js';
import { vmManageCalls } from './contract/vmManage.js';
import { vmDetailsCalls } from './contract/vmDetails.js';
import { vmSettingsCalls } from './contract/vmSettings.js';
import { consoleCalls } from './contract/consoles.js';
import { networkCalls } from './contract/networks.js';
import { hostInterfacesCalls } from './contract/hostInterfaces.js';
import { installCalls } from './contract/install.js';
import { migrationCalls, migrationEvents } from './contract/migration.js';
import type { ByteStream } from './contract/streams.js';
import type { z } from 'zod';

export * from './contract/advisor.js';
export * from './contract/app.js';
export * from './contract/diagnostics.js';
export * from './contract/errors.js';
export * from './contract/hosts.js';
export * from './contract/inventory.js';
export * from './contract/profiles.js';
export * from './contract/prompts.js';
export * from './contract/streams.js';
export * from './contract/tasks.js';
export * from './contract/vms.js';
export * from './contract/snapshots.js';
export * from './contract/vmManage.js';
export * from './contract/vmDetails.js';
export * from './contract/vmSettings.js';
export * from './contract/consoles.js';
export * from './contract/storage.js';
export * from './contract/networks.js';
export * from './contract/hostInterfaces.js';
export * from './contract/vmDevices.js';
export * from './contract/install.js';
export * from './contract/migration.js';

export const calls = {
  ...appCalls,
  ...hostCalls,
  ...inventoryCalls,
  ...statsCalls,
  ...vmCalls,
  ...snapshotCalls,
  ...vmManageCalls,
  ...vmDetailsCalls,
  ...vmSettingsCalls,
  ...consoleCalls,
  ...storageCalls,
  ...networkCalls,
  ...hostInterfacesCalls,
  ...installCalls,
  ...migrationCalls,
  ...taskCalls,
  ...profileCalls,
  ...promptCalls,
  ...diagnosticsCalls,
  ...advisorCalls,
} as const;

export const events = {
  ...hostEvents,
  ...inventoryEvents,
  ...statsEvents,
  ...taskEvents,
  ...profileEvents,
  ...promptEvents,
  ...advisorEvents,
  ...migrationEvents,
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type StreamName = keyof typeof streams;
export type CallArgs<N extends CallName> = z.input<(typeof calls)[N]['args']>;
export type CallResult<N extends CallName> = z.infer<(typeof calls)[N]['result']>;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;
export type StreamArgs<N extends StreamName> = z.input<(typeof streams)[N]['args']>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];
export const streamNames = Object.keys(streams) as StreamName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name);
}

/** What the renderer programs against; both transports implement it. */
export interface ContractClient {
  readonly mode: 'electron' | 'web';
  call<N extends CallName>(name: N, args: CallArgs<N>): Promise<CallResult<N>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
  openStream<N extends StreamName>(name: N, args: StreamArgs<N>): Promise<ByteStream>;
}

// ---------------------------------------------------------------------------------------------
// Electron IPC channel names (the preload and main/electron agree on these)
// ---------------------------------------------------------------------------------------------

export const ipcChannels = {
  call: 'virtdeck:call',
  event: 'virtdeck:event',
  streamOpen: 'virtdeck:stream-open',
  streamPort: 'virtdeck:stream-port',
} as const;

/** The name under which the preload exposes its API in the renderer's main world. */
export const exposedApiName = 'virtdeck';

/**
 * The wizard's calls (preload/contract/install.ts), typed from that module's schemas. They go
 * through the one contract client; `installAvailable` says whether the service answers them
 * (the wizard's entry points show only then).
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { installCalls } from '../../../../preload/contract.js';
import { requireClient } from '../../store/connectionStore.js';

type InstallCalls = typeof installCalls;
export type InstallCallName = keyof InstallCalls;

export function installCall<N extends InstallCallName>(name: N, args: z.input<InstallCalls[N]['args']>): Promise<z.infer<InstallCalls[N]['result']>> {
  const call = requireClient().call as unknown as (name: string, args: unknown) => Promise<z.infer<InstallCalls[N]['result']>>;
  return call(name, args);
}

let probe: Promise<boolean> | undefined;

/** Whether the service implements the install calls (an unknown call is the only "no"). */
export function installAvailable(): Promise<boolean> {
  probe ??= installCall('install.osList', { hostId: '-' }).then(
    () => true,
    (failure: unknown) => (failure as { code?: string }).code !== 'unknown-call',
  );
  return probe;
}

export function useInstallAvailable(): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let live = true;
    void installAvailable().then((value) => live && setAvailable(value));
    return () => {
      live = false;
    };
  }, []);
  return available;
}

/**
 * A pool's volumes, read from main when the pool's tab shows them and again whenever the
 * host's inventory says the pool changed (its allocation moves with every new or removed
 * volume) or after an action here.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PoolVolumes } from '../../../../preload/contract.js';
import { toErrorInfo, type ErrorInfo } from '../../errors/errorInfo.js';
import { requireClient } from '../../store/connectionStore.js';
import { useInventoryStore } from '../../store/inventoryStore.js';

export function usePoolVolumes(hostId: string, pool: string) {
  const [listing, setListing] = useState<PoolVolumes | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  // What makes a new read worth it: the pool's state and its numbers.
  const signature = useInventoryStore((state) => {
    const summary = state.byHost[hostId]?.pools.find((candidate) => candidate.name === pool);
    return summary ? `${summary.active}:${summary.allocationBytes}:${summary.availableBytes}` : 'gone';
  });
  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  useEffect(() => {
    if (signature === 'gone') return undefined;
    let live = true;
    setLoading(true);
    requireClient()
      .call('storage.volumes', { hostId, pool })
      .then(
        (result) => {
          if (!live) return;
          setListing(result);
          setError(undefined);
        },
        (failure: unknown) => live && setError(toErrorInfo(failure)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [hostId, pool, signature, generation]);

  return { listing, error, loading, reload };
}

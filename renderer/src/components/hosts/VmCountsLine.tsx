/** "3 running · 1 paused · 2 shut off · 1 crashed": every state that has VMs, and the usual three. */
import { useT } from '../../i18n/useT.js';
import { shownStateCounts, type VmStateCounts } from '../../model/vmStateCounts.js';

export function VmCountsLine({ counts }: { counts: VmStateCounts }) {
  const t = useT();
  const parts = shownStateCounts(counts).map(({ state, count }) => t(`vmCount.${state}`, { count }));
  return (
    <span data-testid="vm-counts" data-counts={JSON.stringify(counts)}>
      {parts.join(' · ')}
    </span>
  );
}

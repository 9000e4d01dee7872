/**
 * Live charts of one VM from the bulk statistics main already polls (stats.changed, one
 * `domstats` per host). While mounted (the overview is on screen and the window visible) this
 * asks main to watch the VM's host and keeps the VM's rolling history; unmounted, it stops both.
 */
import { useEffect, useId, useMemo } from 'react';
import type { VmStats } from '../../../../preload/contract.js';
import { formatBytes, formatMemoryKiB } from '../../format/formatBytes.js';
import { useT } from '../../i18n/useT.js';
import { unwatchStats, watchStats } from '../../services/statsWatch.js';
import { historyKey, trackVmHistory, useStatsStore, type VmStatsPoint } from '../../store/statsStore.js';
import { StatsChart } from './StatsChart.js';

const EMPTY: readonly VmStatsPoint[] = [];

function useWatchedHost(hostId: string): void {
  const consumer = `vm-overview:${useId()}`;
  useEffect(() => {
    const apply = (): void => {
      if (document.visibilityState === 'hidden') unwatchStats(consumer);
      else watchStats([hostId], consumer);
    };
    apply();
    document.addEventListener('visibilitychange', apply);
    return () => {
      document.removeEventListener('visibilitychange', apply);
      unwatchStats(consumer);
    };
  }, [hostId, consumer]);
}

export function VmCharts({ hostId, name, memoryKiB }: { hostId: string; name: string; memoryKiB: number }) {
  const t = useT();
  useWatchedHost(hostId);
  useEffect(() => trackVmHistory(hostId, name), [hostId, name]);
  const points = useStatsStore((state) => state.history[historyKey(hostId, name)] ?? EMPTY);

  const { times, column } = useMemo(() => {
    const times = points.map((point) => point.at / 1000);
    const column = (field: keyof Omit<VmStats, 'hostId' | 'name'>): (number | null)[] => points.map((point) => point.stats?.[field] ?? null);
    return { times, column };
  }, [points]);

  const number = new Intl.NumberFormat(t.language, { maximumFractionDigits: 1 });
  const percent = (value: number): string => t('vmOverview.chart.percent', { value: number.format(value) });
  const rate = (value: number): string => t('vmOverview.chart.perSecond', { value: formatBytes(value, t.language) });
  const memory = (value: number): string => formatMemoryKiB(value, t.language);

  return (
    <div className="stats-charts" data-testid="vm-charts">
      <StatsChart
        testId="chart-cpu"
        title={t('vmOverview.chart.cpu')}
        times={times}
        series={[{ label: t('vmOverview.chart.cpuUsed'), colorVar: '--accent', values: column('cpuPercent') }]}
        locale={t.language}
        format={percent}
        minTop={100}
      />
      <StatsChart
        testId="chart-memory"
        title={t('vmOverview.chart.memory')}
        times={times}
        series={[{ label: t('vmOverview.chart.memoryUsed'), colorVar: '--ok', values: column('memoryUsedKiB') }]}
        locale={t.language}
        format={memory}
        minTop={memoryKiB}
      />
      <StatsChart
        testId="chart-disk"
        title={t('vmOverview.chart.disk')}
        times={times}
        series={[
          { label: t('vmOverview.chart.read'), colorVar: '--accent', values: column('diskReadBps') },
          { label: t('vmOverview.chart.write'), colorVar: '--warn', values: column('diskWriteBps') },
        ]}
        locale={t.language}
        format={rate}
      />
      <StatsChart
        testId="chart-network"
        title={t('vmOverview.chart.network')}
        times={times}
        series={[
          { label: t('vmOverview.chart.received'), colorVar: '--accent', values: column('netRxBps') },
          { label: t('vmOverview.chart.sent'), colorVar: '--warn', values: column('netTxBps') },
        ]}
        locale={t.language}
        format={rate}
      />
    </div>
  );
}

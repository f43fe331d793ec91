import { useMemo } from 'react';
import { Kpi } from '../../ui/kpi.js';
import { formatMoney, formatMs, formatPercent, formatRate } from '../../ui/format.js';
import { useConsole } from '../../store/use-console.js';

/** Sparklines cover the last five minutes of once-a-second ticks. */
const TREND_POINTS = 300;

/** Headline figures from `figures.tick` (the engine's last few minutes), with their recent trend. */
export function LiveFigures() {
  const current = useConsole((s) => s.figures.current);
  const history = useConsole((s) => s.figures.history);
  const trend = useMemo(() => {
    const recent = history.slice(-TREND_POINTS);
    return {
      lpm: recent.map((h) => h.leadsPerMinute),
      fill: recent.map((h) => h.fillRate),
      revenue: recent.map((h) => h.revenue),
      margin: recent.map((h) => h.margin),
      p50: recent.map((h) => h.p50LatencyMs),
      p99: recent.map((h) => h.p99LatencyMs),
    };
  }, [history]);

  return (
    <div className="kpis" data-testid="live-figures">
      <Kpi label="Leads / min" value={formatRate(current?.leadsPerMinute)} sub={current ? `${current.leads} leads, ${current.sold} sold, ${current.refused ?? 0} refused` : undefined} trend={trend.lpm} testId="kpi-lpm" />
      <Kpi label="Fill rate" value={formatPercent(current?.fillRate)} trend={trend.fill} testId="kpi-fill" />
      <Kpi label="Revenue" value={formatMoney(current?.revenue)} sub={current ? `payout ${formatMoney(current.payout)}` : undefined} trend={trend.revenue} testId="kpi-revenue" />
      <Kpi label="Margin" value={formatMoney(current?.margin)} trend={trend.margin} testId="kpi-margin" />
      <Kpi label="Latency p50" value={formatMs(current?.p50LatencyMs)} trend={trend.p50} testId="kpi-p50" />
      <Kpi label="Latency p99" value={formatMs(current?.p99LatencyMs)} trend={trend.p99} testId="kpi-p99" />
    </div>
  );
}

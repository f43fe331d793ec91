import { useEffect, useMemo } from 'react';
import type { ChangeView } from '../../../shared/change-views.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { LIVE_WINDOW_LABELS, LIVE_WINDOWS, type LiveWindow } from '../../store/live-window.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatClock, formatMoney, formatMs, formatPercent, formatRate } from '../../ui/format.js';
import { Kpi } from '../../ui/kpi.js';
import type { TrendMarker } from '../../ui/sparkline.js';
import type { Directory } from '../../ui/use-directory.js';
import { ChangeReadout } from './change-readout-panel.js';
import { LiveVsReports } from './live-vs-reports.js';

/** Sparklines of the 5-minute window cover the last five minutes of once-a-second ticks. */
const TREND_POINTS = 300;
/** The store-read windows, the markers and the readout refresh this often. */
const WINDOW_REFRESH_MS = 5000;

function markerLabel(c: ChangeView, dir: Pick<Directory, 'campaignName'>): string {
  const where = c.campaignId ? `${dir.campaignName(c.campaignId)}: ` : '';
  return `${formatClock(c.at)} · ${where}${c.summary} (${c.actor}${c.reason ? `; ${c.reason}` : ''})`;
}

/**
 * Headline figures over a labelled window the operator chooses: the last 5 minutes from the engine's
 * once-a-second tick, or the last hour or today read from the store. Sparklines carry a marker where a
 * floor, tier or buyer changed; below them, each recent change's figures before and since.
 */
export function LiveFigures({ dir }: { dir: Directory }) {
  const window = useConsole((s) => s.figures.window);
  const tick = useConsole((s) => s.figures.current);
  const history = useConsole((s) => s.figures.history);
  const windowed = useConsole((s) => s.figures.windowed);
  const changes = useConsole((s) => s.figures.changes);
  const error = useConsole((s) => s.figures.windowError);

  useEffect(() => {
    const refresh = () => void consoleStore.getState().figures.refreshWindow();
    refresh();
    const timer = setInterval(refresh, WINDOW_REFRESH_MS);
    return () => clearInterval(timer);
  }, [window]);

  const current = window === '5m' ? tick : windowed?.window === window ? windowed.overview : null;
  const trend = useMemo(() => {
    if (window === '5m') {
      const recent = history.slice(-TREND_POINTS);
      return {
        t: recent.map((h) => h.t),
        lpm: recent.map((h) => h.leadsPerMinute),
        fill: recent.map((h) => h.fillRate),
        revenue: recent.map((h) => h.revenue),
        margin: recent.map((h) => h.margin),
        p50: recent.map((h) => h.p50LatencyMs),
        p99: recent.map((h) => h.p99LatencyMs),
      };
    }
    const series = windowed?.window === window ? windowed.series : [];
    const bucketMinutes = series.length > 1 ? (series[1].t - series[0].t) / 60_000 : 1;
    return {
      t: series.map((p) => p.t),
      lpm: series.map((p) => p.leads / bucketMinutes),
      fill: series.map((p) => (p.leads ? p.fillRate : null)),
      revenue: series.map((p) => p.revenue),
      margin: series.map((p) => p.margin),
      p50: series.map((p) => p.p50LatencyMs),
      p99: series.map((p) => p.p99LatencyMs),
    };
  }, [window, history, windowed]);
  const markers = useMemo((): TrendMarker[] => changes.map((c) => ({ t: c.at, label: markerLabel(c, dir) })), [changes, dir]);
  const label = LIVE_WINDOW_LABELS[window];
  const k = { trendTimes: trend.t, trendUntil: current?.to, markers };

  return (
    <div className="stack" style={{ gap: 8 }}>
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <span className="muted small" data-testid="live-window-label">
          Figures: <strong>{label.toLowerCase()}</strong>{window === '5m' ? ' (auctions as they finish)' : ' (stored leads)'}, test leads left out
          {markers.length > 0 && ` · ${markers.length} change${markers.length === 1 ? '' : 's'} marked`}
        </span>
        <div className="toolbar" style={{ gap: 4 }} role="group" aria-label="Window of the figures">
          {LIVE_WINDOWS.map((w: LiveWindow) => (
            <button key={w} type="button" className={`btn btn-small${w === window ? ' btn-primary' : ''}`} aria-pressed={w === window} onClick={() => void consoleStore.getState().figures.setWindow(w)} data-testid={`live-window-${w}`}>
              {LIVE_WINDOW_LABELS[w]}
            </button>
          ))}
        </div>
      </div>
      <div className="kpis" data-testid="live-figures">
        <Kpi label={`Leads / min · ${label}`} value={formatRate(current?.leadsPerMinute)} sub={current ? `${current.leads} leads, ${current.sold} sold${current.refused !== undefined ? `, ${current.refused} refused` : ''}` : undefined} trend={trend.lpm} {...k} testId="kpi-lpm" />
        <Kpi label={`Fill rate · ${label}`} value={formatPercent(current?.fillRate)} trend={trend.fill} {...k} testId="kpi-fill" />
        <Kpi label={`Revenue · ${label}`} value={formatMoney(current?.revenue)} sub={current ? `payout ${formatMoney(current.payout)}` : undefined} trend={trend.revenue} {...k} testId="kpi-revenue" />
        <Kpi label={`Margin · ${label}`} value={formatMoney(current?.margin)} trend={trend.margin} {...k} testId="kpi-margin" />
        <Kpi label={`Latency p50 · ${label}`} value={formatMs(current?.p50LatencyMs)} trend={trend.p50} {...k} testId="kpi-p50" />
        <Kpi label={`Latency p99 · ${label}`} value={formatMs(current?.p99LatencyMs)} trend={trend.p99} {...k} testId="kpi-p99" />
      </div>
      <ErrorBanner error={error} />
      <ChangeReadout dir={dir} />
      <LiveVsReports />
    </div>
  );
}

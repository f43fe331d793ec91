import { useEffect } from 'react';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatMoney, formatMs, formatPercent } from '../../ui/format.js';
import { Kpi } from '../../ui/kpi.js';
import { useDirectory } from '../../ui/use-directory.js';
import { LiveVsReports } from '../live/live-vs-reports.js';
import { ExportPanel } from './export-panel.js';
import { ExportsPanel } from './exports-panel.js';
import { PriceRejectsPanel } from './price-rejects-panel.js';
import { RangePicker } from './range-picker.js';
import { StatementsPanel } from './statements-panel.js';
import { PredictionErrorPanel } from './prediction-error-panel.js';
import { ReportCharts } from './report-charts.js';
import { BuyerStatsTable, SourceStatsTable } from './report-tables.js';

/** `#/reports`: the range's figures, trends, buyers and sources, and CSV exports for counsel. */
export function ReportsScreen(_props: { params: string[] }) {
  const overview = useConsole((s) => s.reports.overview);
  const series = useConsole((s) => s.reports.series);
  const bucketMs = useConsole((s) => s.reports.bucketMs);
  const buyers = useConsole((s) => s.reports.buyers);
  const sources = useConsole((s) => s.reports.sources);
  const changes = useConsole((s) => s.reports.changes);
  const loading = useConsole((s) => s.reports.loading);
  const error = useConsole((s) => s.reports.error);
  const dir = useDirectory();

  useEffect(() => {
    void consoleStore.getState().reports.load();
  }, []);

  return (
    <div className="screen" data-testid="reports-screen">
      <div className="screen-header">
        <h1>Reports</h1>
        <div className="actions">
          <RangePicker />
          <button type="button" className="btn btn-small" onClick={() => void consoleStore.getState().reports.load()} disabled={loading} data-testid="reports-refresh">
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
      </div>
      <ErrorBanner error={error} />
      <div className="kpis" data-testid="report-kpis">
        <Kpi label="Leads" value={formatCount(overview?.leads)} sub={overview ? `${formatCount(overview.sold)} sold · ${formatCount(overview.unsold)} unsold` : undefined} testId="report-leads" />
        <Kpi label="Fill rate" value={formatPercent(overview?.fillRate)} />
        <Kpi label="Revenue" value={formatMoney(overview?.revenue)} sub={overview ? `payout ${formatMoney(overview.payout)}` : undefined} />
        <Kpi label="Margin" value={formatMoney(overview?.margin)} />
        <Kpi label="Latency p50 / p99" value={`${formatMs(overview?.p50LatencyMs)} / ${formatMs(overview?.p99LatencyMs)}`} />
      </div>
      <LiveVsReports />
      <ReportCharts series={series} bucketMs={bucketMs} changes={changes} campaignName={dir.campaignName} />
      <div className="grid-2" style={{ alignItems: 'start' }}>
        <SourceStatsTable rows={sources} dir={dir} />
        <ExportPanel />
        <ExportsPanel />
      </div>
      <BuyerStatsTable rows={buyers} dir={dir} />
      <PredictionErrorPanel />
      <PriceRejectsPanel />
      <StatementsPanel />
    </div>
  );
}

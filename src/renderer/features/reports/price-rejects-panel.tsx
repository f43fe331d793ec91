import { useEffect, useState } from 'react';
import type { PriceRejectReport, PriceRejectRow } from '../../../shared/whatif-views.js';
import { api } from '../../api/client.js';
import { useConsole } from '../../store/use-console.js';
import { downloadText } from '../../ui/download.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatMoney } from '../../ui/format.js';
import { useConfigData } from '../buyers/use-config-data.js';

const CSV_COLUMNS: Array<keyof PriceRejectRow> = ['buyerId', 'buyerName', 'tierIndex', 'tierName', 'bids', 'belowFloor', 'avgGap', 'maxGap', 'turnedAway', 'gained'];

/** Quotes a CSV cell when it holds a comma, quote or line break. */
function csvCell(v: unknown): string {
  const text = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function priceRejectsCsv(rows: readonly PriceRejectRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

/**
 * Reports → Price rejects: per buyer and tier in the report's range, the bids the floor refused, how
 * far below they were, and the revenue the floors turned away beside the revenue they gained.
 */
export function PriceRejectsPanel() {
  useConfigData({});
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  const campaigns = useConsole((s) => s.config.campaigns);
  const [campaignId, setCampaignId] = useState<string | null>(null);
  const [report, setReport] = useState<PriceRejectReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const selected = campaignId ?? campaigns[0]?.id ?? null;

  useEffect(() => {
    if (!selected) return;
    let live = true;
    api['reports.priceRejects']({ campaignId: selected, from, to }).then(
      (r) => live && (setReport(r), setError(null)),
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [selected, from, to]);

  if (!selected) return null;
  return (
    <section className="panel" data-testid="price-rejects">
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>Price rejects</h2>
        <span className="toolbar">
          <select className="select" aria-label="Campaign" value={selected} onChange={(e) => setCampaignId(e.target.value)} data-testid="price-rejects-campaign">
            {campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
          <button type="button" className="btn btn-small" disabled={!report?.rows.length} onClick={() => report && downloadText(`price-rejects-${selected}.csv`, priceRejectsCsv(report.rows), 'text/csv')}>CSV</button>
        </span>
      </div>
      <ErrorBanner error={error} />
      {report && (
        <>
          <div className="muted small">
            {formatCount(report.auctions)} auctions: {formatCount(report.totals.belowFloor)} bids below floor; the floors turned away {formatMoney(report.totals.turnedAway)} and gained {formatMoney(report.totals.gained)}.
          </div>
          <table className="plain-table" data-testid="price-rejects-table">
            <thead>
              <tr>
                <th>Buyer</th><th>Tier</th><th className="num">Bids</th><th className="num">Below floor</th><th className="num">Avg gap</th><th className="num">Max gap</th>
                <th className="num">Turned away</th><th className="num">Gained</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.buyerId}:${r.tierIndex}`} data-testid="price-rejects-row">
                  <td>{r.buyerName}</td>
                  <td>{r.tierName}</td>
                  <td className="num">{formatCount(r.bids)}</td>
                  <td className="num">{formatCount(r.belowFloor)}</td>
                  <td className="num">{formatMoney(r.avgGap)}</td>
                  <td className="num">{formatMoney(r.maxGap)}</td>
                  <td className="num">{formatMoney(r.turnedAway)}</td>
                  <td className="num">{formatMoney(r.gained)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="muted small" style={{ margin: 0, paddingLeft: 18 }}>{report.notes.map((n) => <li key={n}>{n}</li>)}</ul>
        </>
      )}
    </section>
  );
}

import type { WhatIfFigures, WhatIfResult, WhatIfSide } from '../../../shared/whatif-views.js';
import { formatCount, formatMoney, formatPercent } from '../../ui/format.js';

const ROWS: Array<[string, (f: WhatIfFigures) => string]> = [
  ['Auctions', (f) => formatCount(f.auctions)],
  ['Sold', (f) => formatCount(f.sold)],
  ['Unconfirmed', (f) => formatCount(f.unconfirmed)],
  ['Fill rate', (f) => formatPercent(f.fillRate)],
  ['Revenue', (f) => formatMoney(f.revenue)],
  ['Payout', (f) => formatMoney(f.payout)],
  ['Margin', (f) => formatMoney(f.margin)],
];

const side = (s: WhatIfSide) => `${formatCount(s.sold)} · ${formatMoney(s.revenue)}`;

/** Before and after side by side, per tier and per buyer, then what the record cannot say. */
export function WhatIfResultView({ result }: { result: WhatIfResult }) {
  return (
    <div className="stack" data-testid="whatif-result">
      <table className="plain-table" data-testid="whatif-figures">
        <thead><tr><th /><th className="num">Recorded</th><th className="num">Before (today&apos;s tree)</th><th className="num">After the change</th></tr></thead>
        <tbody>
          {ROWS.map(([label, cell]) => (
            <tr key={label} data-testid={`whatif-row-${label.toLowerCase().replace(/\s+/g, '-')}`}>
              <th scope="row">{label}</th>
              <td className="num">{cell(result.recorded)}</td>
              <td className="num">{cell(result.before)}</td>
              <td className="num">{cell(result.after)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.tiers.length > 0 && (
        <table className="plain-table" data-testid="whatif-tiers">
          <thead><tr><th>Tier</th><th className="num">Floor before → after</th><th className="num">Sold · revenue before</th><th className="num">Sold · revenue after</th></tr></thead>
          <tbody>
            {result.tiers.map((t) => (
              <tr key={t.name}>
                <td>{t.name}{t.beforeIndex !== t.afterIndex ? ` (position ${t.beforeIndex === null ? '—' : t.beforeIndex + 1} → ${t.afterIndex === null ? '—' : t.afterIndex + 1})` : ''}</td>
                <td className="num">{formatMoney(t.beforeFloor)} → {formatMoney(t.afterFloor)}</td>
                <td className="num">{side(t.before)}</td>
                <td className="num">{side(t.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.buyers.length > 0 && (
        <table className="plain-table" data-testid="whatif-buyers">
          <thead><tr><th>Buyer</th><th className="num">Sold · revenue before</th><th className="num">Sold · revenue after</th><th className="num">No recorded ping</th></tr></thead>
          <tbody>
            {result.buyers.map((b) => (
              <tr key={b.buyerId}>
                <td>{b.name}</td>
                <td className="num">{side(b.before)}</td>
                <td className="num">{side(b.after)}</td>
                <td className="num">{b.unpinged > 0 ? `${formatCount(b.unpinged)} auctions` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="notice" data-testid="whatif-unknowns">
        <strong>What the record cannot say</strong>
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {result.notes.map((n) => <li key={n}>{n}</li>)}
        </ul>
      </div>
    </div>
  );
}

import type { PredictionErrorRow } from '../../../shared/market-views.js';
import { api } from '../../api/client.js';
import { useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatMoney } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

/**
 * Reports → Predicted value: how far the intake estimates were from what leads earned in the range
 * (sale price, or 0 unsold). The engine computes every figure; this only lays them out.
 */
export function PredictionErrorPanel() {
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  const report = useApi(() => api['leadValue.error']({ from, to }), [from, to]);
  const r = report.data;
  const rows: Array<[string, PredictionErrorRow | undefined]> = [['Sold', r?.sold], ['Unsold', r?.unsold], ['All', r?.all]];
  return (
    <section className="panel" data-testid="prediction-error">
      <h2>Predicted lead value: error</h2>
      <ErrorBanner error={report.error} />
      <table className="table">
        <thead>
          <tr>
            <th>Leads</th>
            <th className="num">Count</th>
            <th className="num">Mean predicted</th>
            <th className="num">Mean earned</th>
            <th className="num" title="Mean absolute error: the average of |predicted − earned|">MAE</th>
            <th className="num" title="Mean of predicted − earned: above zero, the model expects too much">Bias</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, row]) => (
            <tr key={label} data-testid={`prediction-error-${label.toLowerCase()}`}>
              <td>{label}</td>
              <td className="num tabular">{formatCount(row?.leads)}</td>
              <td className="num tabular">{formatMoney(row?.meanPredicted)}</td>
              <td className="num tabular">{formatMoney(row?.meanActual)}</td>
              <td className="num tabular">{formatMoney(row?.mae)}</td>
              <td className="num tabular">{row ? `${row.bias > 0 ? '+' : ''}${formatMoney(row.bias)}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" style={{ marginBottom: 0 }}>
        Leads predicted at intake in this range whose auction ended sold or unsold. A lead earns its sale price, or nothing unsold.
      </p>
    </section>
  );
}

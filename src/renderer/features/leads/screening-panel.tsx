import type { ScreeningView } from '../../../shared/console-api.js';
import { DASH, formatDateTime } from '../../ui/format.js';

const VENDOR_NAMES: Record<ScreeningView['vendor'], string> = { trustedform: 'TrustedForm', trestle: 'Trestle phone', ipqs: 'IPQS fraud score' };
const VERDICT_BADGE: Record<ScreeningView['verdict'], string> = { pass: 'badge badge-ok', flag: 'badge badge-warn', reject: 'badge badge-bad' };

/** The lead's pre-ping screening: each vendor's outcome, code, score and time, and what it did. */
export function ScreeningPanel({ results }: { results: ScreeningView[] }) {
  if (!results.length) return null;
  return (
    <section className="panel" data-testid="lead-screening">
      <h2>Screening</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Check</th>
            <th>Outcome</th>
            <th className="num">Score</th>
            <th className="num">Time</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => (
            <tr key={r.vendor} data-testid={`screening-${r.vendor}`}>
              <td>{VENDOR_NAMES[r.vendor]}</td>
              <td>
                {r.outcome} <span className="mono small">{r.code}</span>
              </td>
              <td className="num tabular">{r.score ?? DASH}</td>
              <td className="num tabular">{r.latencyMs} ms</td>
              <td>
                <span className={VERDICT_BADGE[r.verdict]}>{r.verdict}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small" style={{ margin: '8px 0 0' }}>Screened {formatDateTime(results[0].at)}, before any buyer was pinged.</p>
    </section>
  );
}

import type { AbReport, AbVariantView } from '../../../shared/ab-test-views.js';
import { formatCount, formatMoney, formatPercent } from '../../ui/format.js';

/** A variant's figures side by side with the other's; every number is the engine's. */
function VariantCard({ v }: { v: AbVariantView }) {
  return (
    <div className="panel stack" style={{ gap: 6 }} data-testid={`ab-variant-${v.variant}`}>
      <div className="panel-title">Variant {v.variant}{v.variant === 'A' ? ' (the campaign’s tree)' : ''}</div>
      <table className="plain-table">
        <tbody>
          <tr><th scope="row">Leads</th><td className="num" data-testid={`ab-leads-${v.variant}`}>{formatCount(v.leads)}</td></tr>
          <tr><th scope="row">Sold</th><td className="num">{formatCount(v.sold)}</td></tr>
          <tr><th scope="row">Fill rate</th><td className="num">{formatPercent(v.fillRate)}</td></tr>
          <tr><th scope="row">Revenue</th><td className="num" data-testid={`ab-revenue-${v.variant}`}>{formatMoney(v.revenue)}</td></tr>
          <tr><th scope="row">Revenue per lead</th><td className="num" data-testid={`ab-rpl-${v.variant}`}>{formatMoney(v.revenuePerLead)}</td></tr>
          <tr><th scope="row">Margin</th><td className="num">{formatMoney(v.margin)}</td></tr>
          <tr><th scope="row">Margin per lead</th><td className="num">{formatMoney(v.marginPerLead)}</td></tr>
        </tbody>
      </table>
      {v.tiers && (
        <div className="muted small">
          {v.tiers.length === 0 ? 'No tiers: every lead goes unsold.' : v.tiers.map((t) => `${t.name}: floor ${formatMoney(t.floor)}, ${t.buyers.join(', ') || 'no buyers'}`).join(' · ')}
        </div>
      )}
    </div>
  );
}

/** "= 0.031", or "< 0.001" rather than a string of zeros. */
function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : `= ${p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}`;
}

const TONE: Record<AbReport['verdict'], string> = { b_better: 'text-ok', a_better: 'text-warn', no_evidence: 'muted', too_few_leads: 'muted' };

/** The per-variant report and the test's result in plain words, with the figures behind it and its assumptions. */
export function AbReportView({ report }: { report: AbReport }) {
  const r = report.revenuePerLead;
  return (
    <div className="stack" style={{ gap: 10 }}>
      <p className={TONE[report.verdict]} role="status" data-testid="ab-summary" style={{ margin: 0, fontWeight: 600 }}>
        {report.summary}
      </p>
      <div className="grid-2">
        {report.variants.map((v) => <VariantCard key={v.variant} v={v} />)}
      </div>
      <div className="muted small tabular" data-testid="ab-test-figures">
        {r
          ? `Welch's t-test on revenue per lead (B − A): difference ${formatMoney(r.difference)}, 95% interval ${formatMoney(r.low)} to ${formatMoney(r.high)}, t = ${r.t.toFixed(2)}, df = ${r.df.toFixed(1)}, p ${formatP(r.pValue)}.`
          : "Welch's t-test on revenue per lead: not computable yet (each variant needs two leads and some variation)."}
        {report.fillRate && ` Fill rate (two-proportion z-test): B − A = ${(report.fillRate.difference * 100).toFixed(1)} points, p ${formatP(report.fillRate.pValue)}.`}
      </div>
      <details className="small">
        <summary>What this test assumes</summary>
        <ul>
          {report.assumptions.map((a) => <li key={a}>{a}</li>)}
          <li>The result is read only once each variant has at least {report.minLeadsPerVariant} finished leads; test leads are left out.</li>
        </ul>
      </details>
    </div>
  );
}

import { api } from '../../api/client.js';
import type { LeadValueView } from '../../../shared/market-views.js';
import { DASH, formatCount, formatDateTime, formatMoney } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

const LEVEL_TEXT: Record<LeadValueView['level'], string> = {
  campaign: 'the campaign’s leads',
  source: 'this source’s leads',
  sourceState: 'this source’s leads in this state',
};

/** What the engine predicted at intake that this lead would earn, beside what it did earn. */
export function LeadValuePanel({ leadId, status }: { leadId: string; status: string }) {
  const value = useApi(() => api['leadValue.get']({ leadId }), [leadId, status]);
  const e = value.data?.estimate;
  if (value.loading && !value.data) return null;
  return (
    <section className="panel" data-testid="auction-lead-value">
      <h2>Predicted value</h2>
      {!e ? (
        <p className="muted" style={{ margin: 0 }}>
          No estimate: the campaign had too little history when this lead arrived (or it is a test lead).
        </p>
      ) : (
        <dl className="props">
          <dt>Predicted at intake</dt>
          <dd className="tabular" data-testid="lead-value-predicted">{formatMoney(e.predicted)}</dd>
          <dt>Learned from</dt>
          <dd>
            {formatCount(e.samples)} of {LEVEL_TEXT[e.level]} <span className="muted">(model of {formatDateTime(e.modelTrainedAt)})</span>
          </dd>
          <dt>Earned</dt>
          <dd className="tabular" data-testid="lead-value-actual">{e.actual === null ? `${DASH} (outcome not final)` : formatMoney(e.actual)}</dd>
          <dt>Error</dt>
          <dd className="tabular">{e.actual === null ? DASH : `${e.predicted - e.actual >= 0 ? '+' : '−'}${formatMoney(Math.abs(Math.round((e.predicted - e.actual) * 100) / 100))}`}</dd>
        </dl>
      )}
    </section>
  );
}

import { api } from '../../api/client.js';
import { href } from '../../app/router.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { DASH, formatDateTime, formatMoney } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import { useApi } from '../../ui/use-api.js';
import { useDirectory } from '../../ui/use-directory.js';
import { useReadOnly } from '../../store/use-console.js';
import { ConsentPanel } from './consent-panel.js';
import { DeliveriesPanel } from './deliveries-panel.js';
import { EraseLeadButton } from './erase-lead-button.js';
import { ScreeningPanel } from './screening-panel.js';
import { LateAcceptNotice, SettlePanel } from './settle-panel.js';
import { TrailTimeline } from './trail-timeline.js';

/** `#/leads/<id>`: the consent beside the full audit trail, and who got the data. */
export function LeadScreen({ params }: { params: string[] }) {
  const id = params[0] ?? '';
  const res = useApi(() => api['leads.get']({ id }), [id]);
  const dir = useDirectory();
  const readOnly = useReadOnly();
  const detail = res.data;
  const lead = detail?.lead;

  return (
    <div className="screen" data-testid="lead-screen">
      <div className="screen-header">
        <h1>
          Lead <span className="mono">{id}</span> {lead && <span className={outcomeBadge(lead.status)}>{lead.status}</span>}
          {lead?.test && <span className="badge badge-muted" style={{ marginLeft: 6 }}>test</span>}
          {lead?.erased && <span className="badge badge-warn" style={{ marginLeft: 6 }}>erased</span>}
        </h1>
        <div className="actions">
          {lead && !lead.erased && !readOnly && <EraseLeadButton leadId={lead.id} onErased={res.reload} />}
          <a className="btn" href={href('audit')}>
            Back to search
          </a>
        </div>
      </div>
      <ErrorBanner error={res.error} />
      {res.loading && !detail && <div className="muted">Loading…</div>}
      {detail && <LateAcceptNotice trail={detail.trail} dir={dir} />}
      {detail && lead?.status === 'unconfirmed' && (
        <SettlePanel leadId={lead.id} auctions={detail.auctions} trail={detail.trail} dir={dir} readOnly={readOnly} onSettled={res.reload} />
      )}
      {detail && lead && (
        <div className="grid-2" style={{ alignItems: 'start', gridTemplateColumns: 'minmax(0, 2fr) minmax(0, 3fr)' }}>
          <div className="stack" style={{ gap: 14 }}>
            <ConsentPanel consent={lead.consent} />
            <section className="panel" data-testid="lead-record">
              <h2>Lead record</h2>
              <dl className="props">
                <dt>Received</dt>
                <dd className="tabular">{formatDateTime(lead.receivedAt)}</dd>
                <dt>Campaign</dt>
                <dd>{dir.campaignName(lead.campaignId)}</dd>
                <dt>Source</dt>
                <dd>{dir.sourceName(lead.sourceId)}</dd>
                <dt>Sold to</dt>
                <dd>
                  {lead.buyerId ? dir.buyerName(lead.buyerId) : DASH} {lead.price != null && <span className="tabular">at {formatMoney(lead.price)}</span>}
                </dd>
                {Object.entries(lead.fields).map(([k, v]) => (
                  <FieldRow key={k} name={k} value={v} />
                ))}
              </dl>
              {lead.erased && <p className="muted small">Contact fields were erased on request; the trail still verifies.</p>}
            </section>
            <ScreeningPanel results={detail.screening ?? []} />
            <DeliveriesPanel trail={detail.trail} auctions={detail.auctions} dir={dir} />
          </div>
          <TrailTimeline trail={detail.trail} dir={dir} />
        </div>
      )}
    </div>
  );
}

function FieldRow({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt className="mono">{name}</dt>
      <dd>{value == null || value === '' ? DASH : String(value)}</dd>
    </>
  );
}

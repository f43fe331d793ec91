import { useMemo, type FormEvent } from 'react';
import type { LeadSummary } from '../../../shared/console-api.js';
import { navigate } from '../../app/router.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { DASH, formatDateTime, formatMoney } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import { Table, type Column } from '../../ui/table.js';
import { useDirectory, type Directory } from '../../ui/use-directory.js';
import { SigningPanel } from './signing-panel.js';
import { VerifyPanel } from './verify-panel.js';
import { ConfigChangesPanel } from './config-changes-panel.js';

const rowKey = (r: LeadSummary) => r.id;
const openLead = (r: LeadSummary) => navigate('leads', r.id);

function columns(dir: Directory): Column<LeadSummary>[] {
  return [
    { key: 'id', header: 'Lead', width: 'minmax(120px, 1.2fr)', render: (r) => <span className="mono">{r.id}</span> },
    { key: 'received', header: 'Received', width: '150px', render: (r) => formatDateTime(r.receivedAt) },
    { key: 'campaign', header: 'Campaign', width: '1fr', render: (r) => dir.campaignName(r.campaignId) },
    { key: 'source', header: 'Source', width: '1fr', render: (r) => dir.sourceName(r.sourceId) },
    { key: 'phone', header: 'Phone', width: '130px', render: (r) => r.phone ?? DASH },
    { key: 'email', header: 'Email', width: 'minmax(140px, 1.4fr)', render: (r) => r.email ?? DASH },
    { key: 'state', header: 'State', width: '56px', render: (r) => r.state ?? DASH },
    {
      key: 'status',
      header: 'Status',
      width: '100px',
      render: (r) => (
        <>
          <span className={outcomeBadge(r.status)}>{r.status}</span>
          {r.test && <span className="badge badge-muted" style={{ marginLeft: 4 }}>test</span>}
        </>
      ),
    },
    { key: 'buyer', header: 'Buyer', width: '1fr', render: (r) => (r.buyerId ? dir.buyerName(r.buyerId) : DASH) },
    { key: 'price', header: 'Price', width: '80px', numeric: true, render: (r) => formatMoney(r.price) },
  ];
}

/** `#/audit`: find a lead by id, phone or email; check that the trail was not altered. */
export function AuditScreen(_props: { params: string[] }) {
  const query = useConsole((s) => s.audit.query);
  const results = useConsole((s) => s.audit.results);
  const searching = useConsole((s) => s.audit.searching);
  const error = useConsole((s) => s.audit.error);
  const dir = useDirectory();
  const cols = useMemo(() => columns(dir), [dir]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void consoleStore.getState().audit.search();
  };

  return (
    <div className="screen" data-testid="audit-screen">
      <div className="screen-header">
        <h1>Consent & audit</h1>
      </div>
      <section className="panel">
        <form className="toolbar" onSubmit={submit} role="search">
          <input
            className="input"
            style={{ flex: 1, maxWidth: 420 }}
            type="search"
            placeholder="Lead id, phone or email"
            aria-label="Lead id, phone or email"
            value={query}
            onChange={(e) => consoleStore.getState().audit.setQuery(e.target.value)}
            data-testid="audit-search"
            autoFocus
          />
          <button type="submit" className="btn btn-primary" disabled={searching} data-testid="audit-search-button">
            {searching ? 'Searching…' : 'Search'}
          </button>
          {results && (
            <span className="muted small" data-testid="audit-count">
              {results.length === 1 ? '1 lead' : `${results.length} leads`}
            </span>
          )}
        </form>
        <div className="field-hint" style={{ marginTop: 4 }}>
          Names are not searchable: they are contact data and are kept only where erasure can remove them. Search by the lead's phone or email instead.
        </div>
      </section>
      <ErrorBanner error={error} />
      {results && (
        <div className="panel panel-flush">
          <Table
            rows={results}
            columns={cols}
            rowKey={rowKey}
            onRowClick={openLead}
            height={Math.max(90, Math.min(12 + results.length * 30, 420))}
            testId="audit-results"
            rowTestId="audit-result"
            ariaLabel="Leads found"
            empty="No lead matches. Phones match in any common format; emails ignore case."
          />
        </div>
      )}
      <ConfigChangesPanel />
      <VerifyPanel />
      <SigningPanel />
    </div>
  );
}

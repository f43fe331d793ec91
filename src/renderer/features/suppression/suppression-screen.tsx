import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { SuppressionView } from '../../../shared/console-api.js';
import { consoleStore, useConsole, useReadOnly } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatDateTime, shortHash } from '../../ui/format.js';
import { Table, type Column } from '../../ui/table.js';
import { AddForm } from './add-form.js';
import { ImportPanel } from './import-panel.js';
import { RevokeForm } from './revoke-form.js';

const rowKey = (r: SuppressionView) => `${r.kind}:${r.hash}`;

function columns(readOnly: boolean): Column<SuppressionView>[] {
  const cols: Column<SuppressionView>[] = [
    { key: 'kind', header: 'Kind', width: '70px', render: (r) => <span className="badge badge-muted">{r.kind}</span> },
    { key: 'hint', header: 'Value', width: 'minmax(140px, 1.5fr)', render: (r) => <span className="mono">{r.kind === 'phone' && r.hint.length <= 4 ? `…${r.hint}` : r.hint}</span> },
    { key: 'hash', header: 'Hash', width: '120px', title: (r) => r.hash, render: (r) => <span className="mono muted">{shortHash(r.hash)}</span> },
    { key: 'added', header: 'Added', width: '160px', render: (r) => formatDateTime(r.addedAt) },
    { key: 'source', header: 'Source', width: '1fr', render: (r) => r.source },
  ];
  if (!readOnly) {
    cols.push({
      key: 'remove',
      header: '',
      width: '90px',
      render: (r) => (
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => {
            if (window.confirm(`Remove ${r.hint} from the suppression list? Leads with it will be accepted again.`)) void consoleStore.getState().suppression.remove(r);
          }}
          data-testid="suppression-remove"
        >
          Remove
        </button>
      ),
    });
  }
  return cols;
}

/** `#/suppression`: phones and emails that must never be sold. Editing is absent in read-only mode. */
export function SuppressionScreen(_props: { params: string[] }) {
  const readOnly = useReadOnly();
  const rows = useConsole((s) => s.suppression.rows);
  const total = useConsole((s) => s.suppression.total);
  const listedNumbers = useConsole((s) => s.suppression.listedNumbers);
  const offset = useConsole((s) => s.suppression.offset);
  const limit = useConsole((s) => s.suppression.limit);
  const error = useConsole((s) => s.suppression.error);
  const loading = useConsole((s) => s.suppression.loading);
  const storedQuery = useConsole((s) => s.suppression.query);
  const [query, setQuery] = useState(storedQuery);
  const cols = useMemo(() => columns(readOnly), [readOnly]);

  useEffect(() => {
    void consoleStore.getState().suppression.load();
  }, []);

  const search = (e: FormEvent) => {
    e.preventDefault();
    void consoleStore.getState().suppression.search(query);
  };
  const page = (to: number) => void consoleStore.getState().suppression.setPage(to);

  return (
    <div className="screen" data-testid="suppression-screen">
      <div className="screen-header">
        <h1>Suppression</h1>
        <span className="muted" data-testid="suppression-total">
          {formatCount(total)} suppressed
        </span>
        {listedNumbers > 0 && (
          <span className="muted" data-testid="suppression-dnc-total" title="Numbers from imported do-not-call lists: search a number to see its list">
            · {formatCount(listedNumbers)} numbers on DNC lists
          </span>
        )}
      </div>
      {!readOnly && (
        <div className="grid-2" style={{ alignItems: 'start' }}>
          <ImportPanel />
          <AddForm />
        </div>
      )}
      {!readOnly && <RevokeForm />}
      <section className="panel panel-flush">
        <form className="toolbar" style={{ padding: '8px 10px' }} onSubmit={search} role="search">
          <input className="input" type="search" placeholder="Search a phone or email" aria-label="Search suppression list" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="suppression-search" />
          <button type="submit" className="btn">
            Search
          </button>
          <span className="spacer" />
          <span className="muted small">
            {total === 0 ? 'none' : `${formatCount(offset + 1)}–${formatCount(Math.min(offset + rows.length, total))} of ${formatCount(total)}`}
          </span>
          <button type="button" className="btn btn-small" disabled={offset === 0 || loading} onClick={() => page(offset - limit)}>
            Previous
          </button>
          <button type="button" className="btn btn-small" disabled={offset + limit >= total || loading} onClick={() => page(offset + limit)}>
            Next
          </button>
        </form>
        <Table rows={rows} columns={cols} rowKey={rowKey} height={Math.max(90, Math.min(12 + rows.length * 30, 480))} testId="suppression-table" rowTestId="suppression-row" ariaLabel="Suppressed values" empty={storedQuery ? 'No suppressed value matches' : 'The list is empty'} />
      </section>
      <ErrorBanner error={error} />
    </div>
  );
}

import { useCallback, useEffect, useState } from 'react';
import type { ReturnStatusView, ReturnView } from '../../../shared/ledger-views.js';
import { api } from '../../api/client.js';
import { useReadOnly } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';

/** `#/returns`: buyers' return requests; the pending ones wait for the operator (bulk approve or refuse, with a reason). */
export function ReturnsScreen(_props: { params: string[] }) {
  const readOnly = useReadOnly();
  const [status, setStatus] = useState<ReturnStatusView | 'all'>('pending');
  const [rows, setRows] = useState<ReturnView[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setRows(await api['returns.list']({ status: status === 'all' ? undefined : status, limit: 500 }));
      setSelected(new Set());
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [status]);

  useEffect(() => {
    void load();
  }, [load]);

  const decide = async (decision: 'approved' | 'refused') => {
    setBusy(true);
    try {
      const r = await api['returns.decide']({ leadIds: [...selected], decision, reason: reason || undefined });
      setError(r.failed.length ? new Error(r.failed.map((f) => `${f.leadId}: ${f.message}`).join('; ')) : null);
      setReason('');
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const pending = rows.filter((r) => r.status === 'pending');

  return (
    <div className="screen" data-testid="returns-screen">
      <div className="screen-header">
        <h1>Returns</h1>
        <div className="actions">
          <select value={status} onChange={(e) => setStatus(e.target.value as ReturnStatusView | 'all')} aria-label="Status" data-testid="returns-status">
            <option value="pending">Pending</option>
            <option value="approved">Approved</option>
            <option value="refused">Refused</option>
            <option value="all">All</option>
          </select>
          <button type="button" className="btn btn-small" onClick={() => void load()}>Refresh</button>
        </div>
      </div>
      <ErrorBanner error={error} />
      {!readOnly && pending.length > 0 && (
        <div className="actions" style={{ marginBottom: 8 }}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Reason (optional)" maxLength={500} aria-label="Reason" data-testid="returns-reason" />
          <button type="button" className="btn btn-small" disabled={busy || selected.size === 0} onClick={() => void decide('approved')} data-testid="returns-approve">
            Approve {selected.size || ''}
          </button>
          <button type="button" className="btn btn-small btn-danger" disabled={busy || selected.size === 0} onClick={() => void decide('refused')} data-testid="returns-refuse">
            Refuse {selected.size || ''}
          </button>
        </div>
      )}
      <table className="plain-table" data-testid="returns-table">
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select all pending"
                checked={pending.length > 0 && pending.every((r) => selected.has(r.leadId))}
                onChange={(e) => setSelected(e.target.checked ? new Set(pending.map((r) => r.leadId)) : new Set())}
              />
            </th>
            <th>Requested</th><th>Lead</th><th>Buyer</th><th>Source</th><th>Price</th><th>Payout</th><th>Status</th><th>Reason</th><th>Decision</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && <tr><td colSpan={10} className="muted">No returns</td></tr>}
          {rows.map((r) => (
            <tr key={r.leadId} data-testid="return-row">
              <td>{r.status === 'pending' && !readOnly && <input type="checkbox" aria-label={`Select ${r.leadId}`} checked={selected.has(r.leadId)} onChange={() => toggle(r.leadId)} />}</td>
              <td>{formatDateTime(r.requestedAt)}</td>
              <td className="mono"><a href={`#/leads/${r.leadId}`}>{r.leadId}</a></td>
              <td>{r.buyerId}</td>
              <td>{r.sourceId}</td>
              <td className="num">{formatMoney(r.price)}</td>
              <td className="num">{formatMoney(r.payout)}{r.clawback > 0 ? ' (clawed back)' : ''}</td>
              <td><span className="badge badge-muted">{r.status}</span></td>
              <td>{r.reason ?? ''}</td>
              <td>{r.decisionNote ?? ''}{r.decidedBy ? ` — ${r.decidedBy}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { PartyBalanceView, RevenueSummary, StatementView } from '../../../shared/ledger-views.js';
import { api } from '../../api/client.js';
import { useConsole } from '../../store/use-console.js';
import { downloadText } from '../../ui/download.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { Kpi } from '../../ui/kpi.js';

/** Reports → Statements: net revenue from the ledger, balances per party, and a party's statement (CSV or printed). */
export function StatementsPanel() {
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  const [summary, setSummary] = useState<RevenueSummary | null>(null);
  const [balances, setBalances] = useState<PartyBalanceView[]>([]);
  const [statement, setStatement] = useState<StatementView | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    Promise.all([api['ledger.summary']({ from, to }), api['ledger.balances']({ from, to })])
      .then(([s, b]) => {
        setSummary(s);
        setBalances(b);
        setError(null);
      })
      .catch(setError);
  }, [from, to]);

  const open = (b: PartyBalanceView) => {
    api['ledger.statement']({ from, to, partyKind: b.partyKind, partyId: b.partyId }).then(setStatement).catch(setError);
  };

  return (
    <section className="panel statements-panel" data-testid="statements">
      <h2>Statements</h2>
      <ErrorBanner error={error} />
      <div className="kpis" data-testid="net-revenue">
        <Kpi label="Gross revenue" value={formatMoney(summary?.grossRevenue)} />
        <Kpi label="Returns" value={formatMoney(summary?.returns)} />
        <Kpi label="Net revenue" value={formatMoney(summary?.netRevenue)} sub={summary ? `net payouts ${formatMoney(summary.netPayouts)}` : undefined} />
        <Kpi label="Net margin" value={formatMoney(summary?.margin)} />
      </div>
      <table className="plain-table" data-testid="balances-table">
        <thead><tr><th>Party</th><th>Kind</th><th>Balance</th><th /></tr></thead>
        <tbody>
          {balances.map((b) => (
            <tr key={`${b.partyKind}:${b.partyId}`}>
              <td>{b.partyId}</td>
              <td>{b.partyKind === 'buyer' ? 'owes us' : 'we owe'}</td>
              <td className="num">{formatMoney(b.balance)}</td>
              <td><button type="button" className="btn btn-small" onClick={() => open(b)}>Statement</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {statement && (
        <div className="statement-print" data-testid="statement">
          <h3>
            Statement — {statement.partyKind} {statement.partyId}, {formatDateTime(statement.from)} to {formatDateTime(statement.to)}
          </h3>
          <div className="actions">
            <button type="button" className="btn btn-small" onClick={() => downloadText(`statement-${statement.partyKind}-${statement.partyId}.csv`, statement.csv, 'text/csv')}>CSV</button>
            <button type="button" className="btn btn-small" onClick={() => window.print()}>Print</button>
          </div>
          <table className="plain-table">
            <thead><tr><th>When</th><th>Kind</th><th>Amount</th><th>Lead</th><th>Note</th></tr></thead>
            <tbody>
              {statement.entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>{e.kind}</td>
                  <td className="num">{formatMoney(e.kind === 'return' || e.kind === 'clawback' ? -e.amount : e.amount)}</td>
                  <td className="mono">{e.leadId ?? ''}</td>
                  <td>{e.note ?? ''}</td>
                </tr>
              ))}
              <tr><td colSpan={2}><strong>Total {statement.partyKind === 'buyer' ? 'owed to us' : 'we owe'}</strong></td><td className="num"><strong>{formatMoney(statement.total)}</strong></td><td colSpan={2} /></tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

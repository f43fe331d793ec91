import { useState } from 'react';
import type { ConfigAuditView } from '../../../shared/market-views.js';
import { api } from '../../api/client.js';
import { useConfigVersion } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

/** What a `config` event changed, in a line: a dynamic floor's change says what it followed and what held it. */
export function describeConfigEvent(data: Record<string, unknown>): string {
  const what = `${String(data.kind ?? '')}${data.id ? ` ${String(data.id)}` : ''}`;
  if (data.action === 'floor') {
    const move = `${String(data.tier)} floor ${formatMoney(Number(data.before))} → ${formatMoney(Number(data.after))}`;
    if (data.reason !== 'dynamicFloor') return `${what}: ${move}`;
    const basis = data.basis === 'predictedValue' ? 'predicted values' : 'winning bids';
    const held = data.limitedBy === 'step' ? ', step limit' : data.limitedBy === 'min' ? ', held at the minimum' : data.limitedBy === 'max' ? ', held at the maximum' : '';
    return `${what}: ${move} (dynamic: P${String(data.percentile)} of ${String(data.samples)} ${basis} = ${formatMoney(Number(data.target))}${held})`;
  }
  if (data.action === 'tree_changes') {
    const n = Array.isArray(data.changes) ? data.changes.length : 0;
    const w = data.whatif as { auctions?: number; before?: { revenue?: number }; after?: { revenue?: number } } | undefined;
    const priced = w ? ` (replayed on ${String(w.auctions)} auctions: revenue ${formatMoney(w.before?.revenue)} → ${formatMoney(w.after?.revenue)})` : '';
    return `${what}: ${n} ping tree change${n === 1 ? '' : 's'} applied from a what-if${priced}`;
  }
  if (data.action === 'dynamicFloor') {
    const after = data.after as { enabled?: boolean } | null;
    return `${what}: ${String(data.tier)} dynamic floor ${after === null ? 'removed' : after.enabled ? 'on' : 'off'}`;
  }
  return `${what}${data.action ? `: ${String(data.action)}` : ''}`;
}

/** Consent & audit → Configuration changes: the trail's newest `config` events, who made them and what they did. */
export function ConfigChangesPanel() {
  const version = useConfigVersion();
  const [onlyDynamic, setOnlyDynamic] = useState(false);
  const events = useApi(() => api['audit.configChanges']({ limit: 50, ...(onlyDynamic ? { reason: 'dynamicFloor' as const } : {}) }), [version, onlyDynamic]);
  return (
    <section className="panel" data-testid="config-changes">
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>Configuration changes</h2>
        <label className="checkbox small">
          <input type="checkbox" checked={onlyDynamic} onChange={(e) => setOnlyDynamic(e.target.checked)} data-testid="config-changes-dynamic" />
          Dynamic floors only
        </label>
      </div>
      <ErrorBanner error={events.error} />
      <table className="table">
        <thead>
          <tr>
            <th className="num">Seq</th>
            <th>When</th>
            <th>Who</th>
            <th>Change</th>
          </tr>
        </thead>
        <tbody>
          {(events.data ?? []).map((e: ConfigAuditView) => (
            <tr key={e.seq} data-testid="config-change" data-reason={typeof e.data.reason === 'string' ? e.data.reason : undefined}>
              <td className="num tabular">{e.seq}</td>
              <td className="tabular">{formatDateTime(e.at)}</td>
              <td>{e.actor}</td>
              <td>{describeConfigEvent(e.data)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {events.data?.length === 0 && <p className="muted small">No configuration change among the trail’s newest events.</p>}
    </section>
  );
}

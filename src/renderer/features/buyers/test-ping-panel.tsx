import { useState } from 'react';
import type { TestPingResult } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import { consoleStore } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatMoney, formatMs } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';

/** Pretty-prints JSON bodies; anything else (form, XML, text) is shown as sent. */
function pretty(body: string | null): string {
  if (body == null) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * Sends the buyer a test ping for a campaign (with the campaign's sample ping fields) and shows the
 * exact request and answer, so a broker can see why an integration bids or not. Test pings create
 * no lead and no auction.
 */
export function TestPingPanel({ buyerId, campaigns, disabledReason }: { buyerId: string; campaigns: CampaignSpec[]; disabledReason?: string }) {
  const [campaignId, setCampaignId] = useState(campaigns[0]?.id ?? '');
  const [result, setResult] = useState<TestPingResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await consoleStore.getState().buyers.testPing(buyerId, campaignId));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel stack" data-testid="test-ping">
      <h2>Test ping</h2>
      {disabledReason ? (
        <div className="muted small">{disabledReason}</div>
      ) : (
        <div className="toolbar">
          <label className="checkbox">
            Campaign
            <select className="select" value={campaignId} onChange={(e) => setCampaignId(e.target.value)} data-testid="test-ping-campaign">
              {campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
          <button type="button" className="btn" disabled={busy || !campaignId} onClick={() => void send()} data-testid="send-test-ping">
            {busy ? 'Pinging…' : 'Send test ping'}
          </button>
        </div>
      )}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {result && (
        <div className="stack" data-testid="test-ping-result">
          <div className="toolbar">
            <span className={outcomeBadge(result.outcome)} data-testid="test-ping-outcome">{result.outcome}</span>
            <span className="tabular">{formatMs(result.latencyMs)}</span>
            {result.bid != null && <span className="tabular">bid {formatMoney(result.bid)}</span>}
            {result.reason && <span className="muted">{result.reason}</span>}
          </div>
          <div className="grid-2">
            <div className="stack" style={{ gap: 4 }}>
              <h3>Request</h3>
              <code data-testid="test-ping-url">{result.request.method} {result.request.url}</code>
              <pre className="mono small" style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {Object.entries(result.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}
              </pre>
              <pre className="panel mono small" style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="test-ping-request-body">{pretty(result.request.body)}</pre>
            </div>
            <div className="stack" style={{ gap: 4 }}>
              <h3>Response</h3>
              <code>{result.response.status == null ? 'no answer' : `HTTP ${result.response.status}`}</code>
              <pre className="panel mono small" style={{ margin: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="test-ping-response-body">{pretty(result.response.body) || '(empty)'}</pre>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}

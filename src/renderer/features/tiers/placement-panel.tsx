import { useEffect, useState } from 'react';
import type { BuyerView, PlacementProposalView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import { api } from '../../api/client.js';
import { href } from '../../app/router.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime, formatPercent } from '../../ui/format.js';
import { showToast } from '../../ui/toasts.js';
import { useApi } from '../../ui/use-api.js';
import { openWhatIf } from '../whatif/whatif-target.js';

/** Applies the move the campaign's policy proposes now for one buyer, audited with its evidence. */
export async function applyPlacement(campaignId: string, buyerId: string, name: string): Promise<void> {
  try {
    const move = await api['placement.apply']({ campaignId, buyerId });
    showToast(`${name} moved to tier ${move.toTier + 1}`, { tone: 'ok' });
    await Promise.all([consoleStore.getState().config.loadCampaigns(), consoleStore.getState().buyers.load()]);
  } catch (err) {
    showToast(`${name} was not moved: ${err instanceof Error ? err.message : String(err)}`, { tone: 'error' });
  }
}

const tierName = (campaign: CampaignSpec, index: number) => campaign.tiers[index]?.name ?? `Tier ${index + 1}`;

/**
 * The Ping tree's tier placement: the policy's mode, the moves it proposes now with their evidence
 * (one click applies one), and the moves made in the last 7 days, automatic or applied.
 */
export function PlacementPanel({ campaign, buyers, readOnly, refreshMs }: { campaign: CampaignSpec; buyers: BuyerView[]; readOnly: boolean; refreshMs: number }) {
  const configVersion = useConsole((s) => s.session.configVersion);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(t);
  }, [refreshMs]);
  const res = useApi(() => api['placement.proposals']({ campaignId: campaign.id }), [campaign.id, configVersion, tick]);
  const mode = campaign.tierPlacement?.mode ?? 'off';
  const name = (id: string) => buyers.find((b) => b.spec.id === id)?.spec.name ?? id;
  const moves = (res.data?.proposals ?? []).filter((p) => p.action !== 'stay');
  const recent = res.data?.moves ?? [];

  return (
    <section className="panel stack" data-testid="placement-panel" aria-label="Tier placement">
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 style={{ margin: 0 }}>Tier placement</h2>
        <span className="muted small" data-testid="placement-mode">
          {mode === 'off' ? 'Off' : mode === 'suggest' ? 'Suggest: you apply the moves' : 'Automatic: the engine applies the moves every minute'} ·{' '}
          <a href={href('campaigns', campaign.id)}>change the policy</a>
        </span>
      </div>
      <ErrorBanner error={res.error} />
      {mode !== 'off' && (
        moves.length === 0 ? (
          <div className="muted small" data-testid="placement-none">No moves proposed: every buyer is where its figures on this campaign put it, or has too few samples yet.</div>
        ) : (
          <ul className="stack" style={{ gap: 6, margin: 0, paddingLeft: 18 }}>
            {moves.map((p) => <ProposedMove key={p.buyerId} p={p} campaign={campaign} name={name(p.buyerId)} readOnly={readOnly || mode !== 'suggest'} />)}
          </ul>
        )
      )}
      {recent.length > 0 && (
        <details data-testid="placement-moves">
          <summary className="small">{recent.length} move(s) in the last 7 days</summary>
          <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
            {recent.map((m) => (
              <li key={`${m.at}-${m.buyerId}`}>
                {formatDateTime(m.at)}: {name(m.buyerId)} {m.action === 'promote' ? '↑' : '↓'} {tierName(campaign, m.fromTier)} → {tierName(campaign, m.toTier)},{' '}
                {m.appliedBy === 'engine:placement' ? 'automatically' : `by ${m.appliedBy}`} ({m.reasons.join('; ')})
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function ProposedMove({ p, campaign, name, readOnly }: { p: PlacementProposalView; campaign: CampaignSpec; name: string; readOnly: boolean }) {
  const [busy, setBusy] = useState(false);
  const e = p.evidence;
  return (
    <li data-testid={`placement-move-${p.buyerId}`}>
      <strong>{name}</strong> {p.action === 'promote' ? '↑' : '↓'} {tierName(campaign, p.fromTier)} → {tierName(campaign, p.toTier)}: {p.reasons.join('; ')}
      <span className="muted small">
        {' '}(conversion {formatPercent(e.conversionRate)} of {e.sold} sales, accept {formatPercent(e.acceptRate)} of {e.posts} posts, timeouts {formatPercent(e.timeoutRate)} of {e.pings} pings, p95 {e.p95LatencyMs} ms, returns {formatPercent(e.returnRate)})
      </span>{' '}
      {p.change && (
        <button type="button" className="btn btn-small" onClick={() => p.change && openWhatIf({ campaignId: campaign.id, changes: [p.change] })} data-testid="placement-preview">
          Preview
        </button>
      )}{' '}
      {!readOnly && (
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          data-testid="placement-apply"
          onClick={() => {
            setBusy(true);
            void applyPlacement(p.campaignId, p.buyerId, name).finally(() => setBusy(false));
          }}
        >
          Apply
        </button>
      )}
    </li>
  );
}

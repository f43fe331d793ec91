import { useEffect } from 'react';
import type { BuyerStat } from '../../../shared/console-api.js';
import { href } from '../../app/router.js';
import { consoleStore, useConsole, useReadOnly } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatMoney } from '../../ui/format.js';
import { useConfigData } from '../buyers/use-config-data.js';
import { TierBoard } from './tier-board.js';
import { PlacementPanel } from './placement-panel.js';
import { AbTestPanel } from '../abtest/ab-test-panel.js';
import { useTreeUndo } from './use-tree-undo.js';
import { WhatIfHost } from '../whatif/whatif-panel.js';
import { openWhatIf } from '../whatif/whatif-target.js';

/** Buyer figures on the cards refresh this often while the screen is open. */
const REFRESH_MS = 4000;
const NO_STATS: Record<string, BuyerStat> = {};

/**
 * `#/tiers`: a campaign's ping tree. Tiers are pinged left to right; within a tier every eligible
 * buyer is pinged at once and the order only breaks exact ties after priority. Edits apply at once
 * and go back if the engine refuses them.
 */
export function TiersScreen(_props: { params: string[] }) {
  const readOnly = useReadOnly();
  useConfigData({ buyers: true, pollMs: REFRESH_MS });
  const campaigns = useConsole((s) => s.config.campaigns);
  const loaded = useConsole((s) => s.config.loaded);
  const configError = useConsole((s) => s.config.error);
  const selected = useConsole((s) => s.tiers.campaignId);
  const error = useConsole((s) => s.tiers.error);
  const pending = useConsole((s) => (selected ? (s.tiers.pending[selected] ?? 0) : 0));
  const buyers = useConsole((s) => s.buyers.list);
  const buyersError = useConsole((s) => s.buyers.error);

  const campaign = campaigns.find((c) => c.id === selected) ?? campaigns[0];
  useEffect(() => {
    if (campaign && campaign.id !== selected) consoleStore.getState().tiers.selectCampaign(campaign.id);
  }, [campaign, selected]);
  // The cards show this campaign's figures only: a buyer's pings for other campaigns are not this tree's.
  const campaignId = campaign?.id ?? null;
  const stats = useConsole((s) => (campaignId ? s.tiers.campaignStats[campaignId] : undefined)) ?? NO_STATS;
  useEffect(() => {
    if (!campaignId) return;
    const load = () => void consoleStore.getState().tiers.loadCampaignStats(campaignId);
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [campaignId]);
  useTreeUndo(campaignId, readOnly);

  return (
    <div className="screen" data-testid="tiers-screen">
      <div className="screen-header">
        <h1>Ping tree</h1>
        <div className="actions">
          {pending > 0 && <span className="muted small" role="status">Saving…</span>}
          {campaign && (
            <button type="button" className="btn btn-small" onClick={() => openWhatIf({ campaignId: campaign.id })} data-testid="whatif-open">What if…</button>
          )}
          {campaigns.length > 0 && (
            <label className="checkbox">
              Campaign
              <select className="select" value={campaign?.id ?? ''} onChange={(e) => consoleStore.getState().tiers.selectCampaign(e.target.value)} data-testid="tiers-campaign">
                {campaigns.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select>
            </label>
          )}
        </div>
      </div>
      <ErrorBanner error={configError ?? buyersError} />
      <ErrorBanner error={error} onDismiss={() => consoleStore.getState().tiers.clearErrors()} testId="tiers-error" />
      {!loaded ? (
        <div className="muted">Loading…</div>
      ) : !campaign ? (
        <div className="panel empty">
          No campaigns yet. {!readOnly && <a href={href('campaigns')}>Create one on the Campaigns screen.</a>}
        </div>
      ) : (
        <>
          <div className="muted small">
            Tiers are pinged left to right; the first tier with a valid bid at or above its floor wins. Campaign minimum {formatMoney(campaign.minPrice)}, ping timeout {campaign.pingTimeoutMs} ms.
            {!readOnly && ' Drag buyers between tiers (or focus a card, Space, arrow keys, Space); Ctrl+Z undoes the last edit.'} Figures on the cards cover this campaign's auctions in the last hour.
          </div>
          <TierBoard campaign={campaign} buyers={buyers} stats={stats} readOnly={readOnly} />
          <PlacementPanel campaign={campaign} buyers={buyers} readOnly={readOnly} refreshMs={REFRESH_MS} />
          <AbTestPanel campaign={campaign} buyerIds={buyers.map((b) => b.spec.id)} readOnly={readOnly} />
          <WhatIfHost />
        </>
      )}
    </div>
  );
}

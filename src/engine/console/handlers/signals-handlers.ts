import type { BuyerSignalFigures, PlacementMoveView, PlacementProposalView } from '../../../shared/console-api.js';
import { toDollars } from '../../money.js';
import type { BuyerSnapshot } from '../../signals/rolling-signals.js';
import type { PlacementProposal } from '../../signals/tier-placement.js';
import type { PlacementMoveRecord } from '../../store/placement-repo.js';
import type { ConsoleHandlers } from '../console-host.js';
import type { HandlerDeps } from './handler-deps.js';

type SignalMethods = 'signals.buyers' | 'signals.sources' | 'placement.proposals' | 'placement.apply';

/** Moves shown beside the proposals: the last week's. */
const RECENT_MOVES_MS = 7 * 86_400_000;

/** Rolling per-campaign signals of buyers and sources, and tier placement (Ping tree, Buyers, campaign editor). */
export function signalsHandlers(d: Pick<HandlerDeps, 'config' | 'signals' | 'sourceSignals' | 'placement' | 'now'>): Pick<ConsoleHandlers, SignalMethods> {
  return {
    'signals.buyers': (args) => {
      const now = d.now();
      const campaigns = d.config.workspace.campaigns.filter((c) => args?.campaignId === undefined || c.id === args.campaignId);
      return d.config.workspace.buyers.flatMap((b) => {
        // Campaigns the buyer sits in, and any other it has figures for (it was moved out lately).
        const withFigures = new Set(d.signals.campaignsOf(b.id));
        return campaigns
          .filter((c) => withFigures.has(c.id) || c.tiers.some((t) => t.buyers.includes(b.id)))
          .map((c) => ({ buyerId: b.id, campaignId: c.id, figures: toFigures(d.signals.snapshot(b.id, c.id, now)) }));
      });
    },
    'signals.sources': (args) => {
      const now = d.now();
      const keys = d.config.workspace.sources.flatMap((s) => s.campaigns.map((campaignId) => ({ sourceId: s.id, campaignId })));
      const seen = new Set(keys.map((k) => `${k.sourceId}\u0000${k.campaignId}`));
      for (const k of d.sourceSignals.keys()) if (!seen.has(`${k.sourceId}\u0000${k.campaignId}`)) keys.push(k);
      return keys
        .filter((k) => args?.campaignId === undefined || k.campaignId === args.campaignId)
        .map((k) => {
          const s = d.sourceSignals.snapshot(k.sourceId, k.campaignId, now);
          return { ...k, leads: s.leads, sold: s.sold, soldRate: s.soldRate, avgPrice: toDollars(s.avgPriceCents), avgPayout: toDollars(s.avgPayoutCents), returned: s.returned, returnRate: s.returnRate };
        });
    },
    'placement.proposals': (args) => ({
      proposals: d.placement.proposals(args?.campaignId).map(toProposalView),
      moves: d.placement.recentMoves(d.now() - RECENT_MOVES_MS, args?.campaignId ?? null).map(toMoveView),
    }),
    'placement.apply': ({ campaignId, buyerId }, ctx) => {
      // A normal configuration change: the ConfigService audits it and announces `config.changed`.
      return toMoveView(d.placement.apply(campaignId, buyerId, ctx.actor));
    },
  };
}

export function toFigures(s: BuyerSnapshot): BuyerSignalFigures {
  return {
    pings: s.pings,
    bids: s.bids,
    bidRate: s.bidRate,
    wins: s.wins,
    winRate: s.winRate,
    accepted: s.accepted,
    acceptRate: s.acceptRate,
    lateAccepts: s.lateAccepts,
    timeouts: s.timeouts,
    timeoutRate: s.timeoutRate,
    avgBid: toDollars(s.avgBidCents),
    avgLatencyMs: s.avgLatencyMs,
    p95LatencyMs: s.p95LatencyMs,
    sold: s.sold,
    converted: s.converted,
    returned: s.returned,
    conversionRate: s.conversionRate,
    returnRate: s.returnRate,
  };
}

function toProposalView(p: PlacementProposal): PlacementProposalView {
  const { thresholds: _thresholds, ...evidence } = p.decision.evidence;
  return { campaignId: p.campaignId, buyerId: p.buyerId, mode: p.mode, action: p.decision.action, fromTier: p.decision.fromTier, toTier: p.decision.toTier, reasons: p.decision.reasons, evidence, change: p.change };
}

function toMoveView(m: PlacementMoveRecord): PlacementMoveView {
  const reasons = Array.isArray(m.evidence.reasons) ? m.evidence.reasons.map(String) : [];
  return { at: m.at, campaignId: m.campaignId, buyerId: m.buyerId, action: m.action, fromTier: m.fromTier, toTier: m.toTier, appliedBy: m.appliedBy, reasons };
}

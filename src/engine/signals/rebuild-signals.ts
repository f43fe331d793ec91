import type { SignalHistoryRepo } from '../store/signal-history-repo.js';
import type { BuyerSignals } from './rolling-signals.js';
import type { SourceSignals } from './source-signals.js';

export interface RebuildCounts {
  pings: number;
  posts: number;
  feedback: number;
  auctions: number;
  ms: number;
}

/**
 * Fills fresh rolling signals from what the store recorded inside their windows, through the same
 * record calls the running engine makes, so a restarted engine reports the figures it reported
 * before it stopped. Fixed-price buyers are never pinged (their set price stands as the bid), so
 * their recorded ping rows are not pings; settlements by the operator were never posts either.
 */
export function rebuildSignals(
  history: SignalHistoryRepo,
  into: { buyers: BuyerSignals; sources: SourceSignals; sourceWindowMs: number },
  opts: { now: number; isFixedPrice: (buyerId: string) => boolean; clock?: () => number },
): RebuildCounts {
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const w = into.buyers.windowsMs;
  const counts = { pings: 0, posts: 0, feedback: 0, auctions: 0 };
  for (const p of history.pingsSince(opts.now - w.windowMs)) {
    if (opts.isFixedPrice(p.buyerId)) continue;
    into.buyers.recordPing({ buyerId: p.buyerId, campaignId: p.campaignId, outcome: p.outcome, latencyMs: p.latencyMs, bidCents: p.bidCents, at: p.sentAt });
    counts.pings += 1;
  }
  // Posts over the feedback window: an accepted post is a sale, the base of conversion and returns.
  for (const p of history.postsSince(opts.now - Math.max(w.windowMs, w.feedbackWindowMs))) {
    if (p.outcome === 'SETTLED_SOLD') continue;
    if (p.outcome === 'LATE_ACCEPTED') into.buyers.recordLateAccept(p.buyerId, p.campaignId, p.sentAt);
    else into.buyers.recordPost(p.buyerId, p.campaignId, p.outcome === 'ACCEPTED', p.sentAt);
    counts.posts += 1;
  }
  for (const f of history.feedbackSince(opts.now - Math.max(w.feedbackWindowMs, into.sourceWindowMs))) {
    into.buyers.recordFeedback(f.buyerId, f.campaignId, f.event, f.at);
    if (f.event === 'returned' && !f.test) into.sources.recordReturn(f.sourceId, f.campaignId, f.at);
    counts.feedback += 1;
  }
  for (const a of history.auctionsSince(opts.now - into.sourceWindowMs)) {
    into.sources.recordLead({ sourceId: a.sourceId, campaignId: a.campaignId, sold: a.status === 'sold', priceCents: a.priceCents, payoutCents: a.payoutCents, at: a.startedAt });
    counts.auctions += 1;
  }
  return { ...counts, ms: clock() - started };
}

import { Store } from '../../src/engine/store/index.js';
import { summariseSample, type LatencySummary } from './latency.js';

/**
 * Where a lead's time goes inside the engine, read back from what the engine stored (millisecond
 * clock): intake until the auction starts (validation, the lead committed before any ping), the
 * ping round as the engine saw it, from the last bid to the post, the post, and from the post's
 * answer to the auction's end. The client's latency adds the HTTP hop and the final commit.
 */
export interface JourneyBreakdown {
  auctions: number;
  intakeToAuctionMs: LatencySummary;
  pingRoundMs: LatencySummary;
  bidsToPostMs: LatencySummary;
  postMs: LatencySummary;
  postToEndMs: LatencySummary;
  auctionMs: LatencySummary;
}

/** Auctions that started in [fromMs, toMs), read from a stopped engine's data folder. */
export function journeyBreakdown(dataDir: string, fromMs: number, toMs: number, limit = 5000): JourneyBreakdown {
  const store = Store.open({ dataDir, readonly: true });
  try {
    const intake: number[] = [];
    const pingRound: number[] = [];
    const bidsToPost: number[] = [];
    const post: number[] = [];
    const postToEnd: number[] = [];
    const auction: number[] = [];
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = store.listAuctions({ from: fromMs, to: toMs, limit: 1000, before: cursor });
      for (const a of page.rows) {
        const detail = store.getAuction(a.id);
        const lead = store.getLead(a.leadId);
        const first = detail?.posts[0];
        if (!detail || !lead || !first || a.endedAt == null || detail.pings.length === 0) continue;
        const pingsDone = Math.max(...detail.pings.map((p) => p.sentAt + (p.latencyMs ?? 0)));
        intake.push(a.startedAt - lead.receivedAt);
        pingRound.push(pingsDone - Math.min(...detail.pings.map((p) => p.sentAt)));
        bidsToPost.push(first.sentAt - pingsDone);
        post.push(first.latencyMs ?? 0);
        postToEnd.push(a.endedAt - (first.sentAt + (first.latencyMs ?? 0)));
        auction.push(a.latencyMs ?? a.endedAt - a.startedAt);
      }
      seen += page.rows.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && seen < limit);
    return {
      auctions: auction.length,
      intakeToAuctionMs: summariseSample(intake),
      pingRoundMs: summariseSample(pingRound),
      bidsToPostMs: summariseSample(bidsToPost),
      postMs: summariseSample(post),
      postToEndMs: summariseSample(postToEnd),
      auctionMs: summariseSample(auction),
    };
  } finally {
    store.close();
  }
}

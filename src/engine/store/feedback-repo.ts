import type { Database, Statement } from 'better-sqlite3';
import type { FeedbackRecord } from './records.js';
import type { FeedbackRow } from './row-mappers.js';
import { toFeedback } from './row-mappers.js';
import { clampLimit } from './query-repo.js';
import { DistinctValues } from './distinct-values.js';

export interface FeedbackStats {
  buyerId: string;
  /** Accepted posts since the start of the window. */
  delivered: number;
  /** Distinct leads reported per event. */
  converted: number;
  returned: number;
  contacted: number;
  conversionRate: number;
  returnRate: number;
}

/** What buyers reported about delivered leads, for conversion and return rates. */
export class FeedbackRepo {
  private readonly recentAll: Statement;
  private readonly recentBuyer: Statement;
  private readonly countsAll: Statement;
  private readonly countsBuyer: Statement;
  private readonly postBuyers: DistinctValues;
  private readonly deliveredBuyer: Statement;

  constructor(db: Database) {
    this.recentAll = db.prepare('SELECT lead_id, buyer_id, event, reason, at FROM feedback WHERE at >= ? ORDER BY at DESC, id DESC LIMIT ?');
    this.recentBuyer = db.prepare('SELECT lead_id, buyer_id, event, reason, at FROM feedback WHERE buyer_id = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?');
    const counts = `SELECT buyer_id AS buyerId, COUNT(DISTINCT CASE WHEN event = 'converted' THEN lead_id END) AS converted,
      COUNT(DISTINCT CASE WHEN event = 'returned' THEN lead_id END) AS returned, COUNT(DISTINCT CASE WHEN event = 'contacted' THEN lead_id END) AS contacted
      FROM feedback`;
    this.countsAll = db.prepare(`${counts} WHERE at >= ? GROUP BY buyer_id`);
    this.countsBuyer = db.prepare(`${counts} WHERE buyer_id = ? AND at >= ? GROUP BY buyer_id`);
    this.postBuyers = new DistinctValues(db, 'posts', 'buyer_id');
    this.deliveredBuyer = db.prepare("SELECT buyer_id AS buyerId, COUNT(*) AS n FROM posts WHERE buyer_id = ? AND sent_at >= ? AND outcome IN ('ACCEPTED', 'SETTLED_SOLD') GROUP BY buyer_id");
  }

  recentFeedback(buyerId: string | undefined, sinceMs: number, limit = 100): FeedbackRecord[] {
    const rows = buyerId ? this.recentBuyer.all(buyerId, sinceMs, clampLimit(limit)) : this.recentAll.all(sinceMs, clampLimit(limit));
    return (rows as FeedbackRow[]).map(toFeedback);
  }

  feedbackStats(buyerId: string | undefined, sinceMs: number): FeedbackStats[] {
    type Counts = { buyerId: string; converted: number; returned: number; contacted: number };
    const counts = (buyerId ? this.countsBuyer.all(buyerId, sinceMs) : this.countsAll.all(sinceMs)) as Counts[];
    const delivered = (buyerId ? [buyerId] : this.postBuyers.all()).flatMap((id) => this.deliveredBuyer.all(id, sinceMs) as Array<{ buyerId: string; n: number }>);
    const out = new Map<string, FeedbackStats>();
    const get = (id: string): FeedbackStats => {
      let s = out.get(id);
      if (!s) {
        s = { buyerId: id, delivered: 0, converted: 0, returned: 0, contacted: 0, conversionRate: 0, returnRate: 0 };
        out.set(id, s);
      }
      return s;
    };
    for (const d of delivered) get(d.buyerId).delivered = d.n;
    for (const c of counts) Object.assign(get(c.buyerId), { converted: c.converted, returned: c.returned, contacted: c.contacted });
    for (const s of out.values()) {
      s.conversionRate = s.delivered > 0 ? s.converted / s.delivered : 0;
      s.returnRate = s.delivered > 0 ? s.returned / s.delivered : 0;
    }
    return [...out.values()].sort((a, b) => a.buyerId.localeCompare(b.buyerId));
  }
}

import type { Database, Statement } from 'better-sqlite3';
import { allRows, getRow, runSteps, type ReadSteps } from './read-steps.js';
import type { AuditEvent } from './records.js';
import { toAuditEvent, type AuditRow } from './row-mappers.js';

/** An auction window's totals in cents, for a change's before/after readout. Test auctions are left out. */
export interface WindowTotals {
  auctions: number;
  sold: number;
  revenueCents: number;
}

/** The most `config` events one read returns: markers for a day of busy editing, never the whole trail. */
export const MAX_CHANGES = 500;

/**
 * Configuration changes as recorded in the audit trail (`config` events, read through the partial
 * index of migration 0170) and the auction totals around them (read through the auctions' time and
 * campaign indexes). Ranges are from inclusive, to exclusive, in epoch ms.
 */
export class ChangeRepo {
  private readonly events: Statement;
  private readonly totalsAll: Statement;
  private readonly totalsCampaign: Statement;

  constructor(private readonly db: Database) {
    this.events = db.prepare("SELECT * FROM audit_events WHERE type = 'config' AND at >= @from AND at < @to ORDER BY at, seq LIMIT @limit");
    const totals = "COUNT(*) AS auctions, TOTAL(status = 'sold') AS sold, TOTAL(CASE WHEN status = 'sold' THEN price_cents END) AS revenue FROM auctions";
    this.totalsAll = db.prepare(`SELECT ${totals} WHERE started_at >= @from AND started_at < @to AND test = 0`);
    this.totalsCampaign = db.prepare(`SELECT ${totals} WHERE campaign_id = @campaignId AND started_at >= @from AND started_at < @to AND test = 0`);
  }

  /** Oldest first; at most `limit` (≤ MAX_CHANGES) events. */
  configEvents(q: { from: number; to: number; limit: number }): AuditEvent[] {
    return runSteps(this.db, this.configEventsSteps(q));
  }

  windowTotals(q: { from: number; to: number; campaignId?: string }): WindowTotals {
    return runSteps(this.db, this.windowTotalsSteps(q));
  }

  // The same as ReadSteps, for the read thread (Store.readOffLoop): a day's window is every auction of that day.
  *configEventsSteps(q: { from: number; to: number; limit: number }): ReadSteps<AuditEvent[]> {
    const limit = Math.max(1, Math.min(MAX_CHANGES, q.limit));
    return ((yield allRows(this.events, { from: q.from, to: q.to, limit })) as AuditRow[]).map(toAuditEvent);
  }

  *windowTotalsSteps(q: { from: number; to: number; campaignId?: string }): ReadSteps<WindowTotals> {
    const read = q.campaignId === undefined ? getRow(this.totalsAll, { from: q.from, to: q.to }) : getRow(this.totalsCampaign, { from: q.from, to: q.to, campaignId: q.campaignId });
    const r = (yield read) as { auctions: number; sold: number; revenue: number };
    return { auctions: r.auctions, sold: r.sold, revenueCents: r.revenue };
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { AuditChain } from './audit-chain.js';
import type { WriteQueue } from './write-queue.js';

export interface InterruptedLead {
  /** The auction left open, or null when the lead never reached one. */
  auctionId: string | null;
  leadId: string;
}

export const INTERRUPTED_REASON = 'INTERRUPTED';

/**
 * Closes what a previous run left in flight (killed mid-auction): open auctions become `interrupted`,
 * leads still `received`/`auctioning` become `interrupted` with an audit event each. Runs at engine
 * start, before intake opens, and commits before returning.
 */
export class Recovery {
  private readonly openAuctions: Statement;
  private readonly unsettledLeads: Statement;
  private readonly closeAuction: Statement;
  private readonly closeLead: Statement;

  constructor(db: Database, private readonly queue: WriteQueue, private readonly chain: AuditChain) {
    this.openAuctions = db.prepare("SELECT id, lead_id FROM auctions WHERE status = 'open' ORDER BY started_at, id");
    this.unsettledLeads = db.prepare("SELECT id FROM leads WHERE status IN ('received', 'auctioning') ORDER BY received_at, id");
    this.closeAuction = db.prepare("UPDATE auctions SET status = 'interrupted', reason = ?, ended_at = ? WHERE id = ? AND status = 'open'");
    this.closeLead = db.prepare("UPDATE leads SET status = 'interrupted' WHERE id = ? AND status IN ('received', 'auctioning')");
  }

  closeInterruptedAuctions(now: number): InterruptedLead[] {
    this.queue.flushSync();
    const auctions = this.openAuctions.all() as Array<{ id: string; lead_id: string }>;
    const leads = this.unsettledLeads.all() as Array<{ id: string }>;
    const auctionOf = new Map(auctions.map((a) => [a.lead_id, a.id]));
    const out: InterruptedLead[] = [];
    for (const a of auctions) this.queue.enqueue({ stmt: this.closeAuction, params: [INTERRUPTED_REASON, now, a.id] });
    for (const l of leads) {
      const auctionId = auctionOf.get(l.id) ?? null;
      this.queue.enqueue({ stmt: this.closeLead, params: [l.id] });
      this.chain.append({ leadId: l.id, type: 'interrupted', actor: 'system', at: now, data: { auctionId, reason: INTERRUPTED_REASON } });
      out.push({ auctionId, leadId: l.id });
      auctionOf.delete(l.id);
    }
    // An open auction whose lead already settled still gets closed and reported.
    for (const [leadId, auctionId] of auctionOf) out.push({ auctionId, leadId });
    this.queue.flushSync();
    return out;
  }
}

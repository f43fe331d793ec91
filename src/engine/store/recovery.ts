import type { Database, Statement } from 'better-sqlite3';
import { leadAnswer } from '../intake/lead-answer.js';
import type { AuditChain } from './audit-chain.js';
import type { FingerprintIndex } from './fingerprint-index.js';
import type { IdempotencyRepo } from './idempotency-repo.js';
import type { WriteQueue } from './write-queue.js';

/**
 * What recovery made of a lead a stop cut short: `released` when no buyer can have seen its full
 * record (its retry is auctioned again), `unconfirmed` when a post may have started (a buyer may
 * hold it, so nobody else gets it). An open auction whose lead had already settled is `closed`.
 */
export type RecoveryOutcome = 'released' | 'unconfirmed' | 'closed';

export interface InterruptedLead {
  /** The auction left open, or null when the lead never reached one. */
  auctionId: string | null;
  leadId: string;
  outcome: RecoveryOutcome;
}

export const INTERRUPTED_REASON = 'INTERRUPTED';
export const INTERRUPTED_AFTER_POST_REASON = 'INTERRUPTED_AFTER_POST';

interface UnsettledLead {
  id: string;
  campaign_id: string;
  phone_hash: string | null;
  email_hash: string | null;
}

/**
 * Closes what a previous run left in flight (killed mid-auction), at engine start, before intake
 * opens; commits before returning.
 *
 * The rule that tells the two kinds of interrupted lead apart: the auction commits the `winner`
 * audit event of a post attempt before that post is sent. So a lead with no committed `winner` event
 * reached no buyer beyond its ping fields: it is released (auction and lead `interrupted`, its
 * duplicate fingerprints and idempotency key dropped, so the source's retry is a new lead). A lead
 * with one may be held by that buyer: lead and auction become `unconfirmed` and keep their
 * fingerprints, and a retry with its key is answered `unsold` with reason `unconfirmed`.
 *
 * Then every idempotency key whose answer the crash cut off gets the answer its lead's outcome
 * implies (a released lead's key is dropped instead).
 */
export class Recovery {
  private readonly openAuctions: Statement;
  private readonly unsettledLeads: Statement;
  private readonly lastWinner: Statement;
  private readonly closeAuction: Statement;
  private readonly closeLead: Statement;

  constructor(
    db: Database,
    private readonly queue: WriteQueue,
    private readonly chain: AuditChain,
    private readonly fingerprints: FingerprintIndex,
    private readonly idempotency: IdempotencyRepo,
  ) {
    this.openAuctions = db.prepare("SELECT id, lead_id FROM auctions WHERE status = 'open' ORDER BY started_at, id");
    this.unsettledLeads = db.prepare(
      "SELECT id, campaign_id, phone_hash, email_hash FROM leads WHERE status IN ('received', 'auctioning') ORDER BY received_at, id",
    );
    this.lastWinner = db.prepare("SELECT data FROM audit_events WHERE lead_id = ? AND type = 'winner' ORDER BY seq DESC LIMIT 1");
    this.closeAuction = db.prepare("UPDATE auctions SET status = ?, reason = ?, ended_at = ? WHERE id = ? AND status = 'open'");
    this.closeLead = db.prepare("UPDATE leads SET status = ? WHERE id = ? AND status IN ('received', 'auctioning')");
  }

  closeInterruptedAuctions(now: number): InterruptedLead[] {
    this.queue.flushSync();
    const auctions = this.openAuctions.all() as Array<{ id: string; lead_id: string }>;
    const leads = this.unsettledLeads.all() as UnsettledLead[];
    const auctionOf = new Map(auctions.map((a) => [a.lead_id, a.id]));
    const out: InterruptedLead[] = [];
    for (const l of leads) {
      const auctionId = auctionOf.get(l.id) ?? null;
      auctionOf.delete(l.id);
      const winner = this.lastWinner.get(l.id) as { data: string } | undefined;
      if (winner) this.markUnconfirmed(l, auctionId, JSON.parse(winner.data) as { buyerId?: string }, now);
      else this.release(l, auctionId, now);
      out.push({ auctionId, leadId: l.id, outcome: winner ? 'unconfirmed' : 'released' });
    }
    // An open auction whose lead already settled still gets closed and reported.
    for (const [leadId, auctionId] of auctionOf) {
      this.queue.enqueue({ stmt: this.closeAuction, params: ['interrupted', INTERRUPTED_REASON, now, auctionId] });
      out.push({ auctionId, leadId, outcome: 'closed' });
    }
    this.queue.flushSync();
    this.answerCutOffKeys(now);
    this.queue.flushSync();
    return out;
  }

  private release(l: UnsettledLead, auctionId: string | null, now: number): void {
    if (auctionId) this.queue.enqueue({ stmt: this.closeAuction, params: ['interrupted', INTERRUPTED_REASON, now, auctionId] });
    this.queue.enqueue({ stmt: this.closeLead, params: ['interrupted', l.id] });
    for (const op of this.fingerprints.removeStatements(l.campaign_id, l.id, { phone: l.phone_hash, email: l.email_hash })) this.queue.enqueue(op);
    this.idempotency.removeForLead(l.id);
    this.chain.append({ leadId: l.id, type: 'interrupted', actor: 'system', at: now, data: { auctionId, reason: INTERRUPTED_REASON, outcome: 'released' } });
  }

  private markUnconfirmed(l: UnsettledLead, auctionId: string | null, winner: { buyerId?: string }, now: number): void {
    if (auctionId) this.queue.enqueue({ stmt: this.closeAuction, params: ['unconfirmed', INTERRUPTED_AFTER_POST_REASON, now, auctionId] });
    this.queue.enqueue({ stmt: this.closeLead, params: ['unconfirmed', l.id] });
    this.chain.append({
      leadId: l.id,
      type: 'interrupted',
      actor: 'system',
      at: now,
      data: { auctionId, reason: INTERRUPTED_AFTER_POST_REASON, outcome: 'unconfirmed', buyerId: winner.buyerId ?? null },
    });
  }

  /** Keys admitted with a lead whose answer never got stored: store it now, from the lead's outcome. */
  private answerCutOffKeys(now: number): void {
    for (const k of this.idempotency.unanswered()) {
      const outcome = k.leadStatus === 'sold' || k.leadStatus === 'unsold' || k.leadStatus === 'unconfirmed' ? k.leadStatus : null;
      if (outcome) this.idempotency.answer(k.sourceId, k.key, leadAnswer(k.leadId, outcome, k.payoutCents), now);
      else this.idempotency.remove(k.sourceId, k.key);
    }
  }
}

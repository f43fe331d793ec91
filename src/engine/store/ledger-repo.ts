import type Database from 'better-sqlite3';
import { allRows, getRow, runSteps, type ReadSteps } from './read-steps.js';
import type { WriteQueue } from './write-queue.js';

export type LedgerKind = 'sale' | 'payout' | 'return' | 'clawback' | 'adjustment';
export type PartyKind = 'buyer' | 'source';

/** One money movement (see migrations/0100-ledger.ts). `amountCents` is positive except for adjustments. */
export interface LedgerEntry {
  at: number;
  kind: LedgerKind;
  amountCents: number;
  partyKind: PartyKind;
  partyId: string;
  leadId: string | null;
  auctionId: string | null;
  note: string | null;
  actor: string;
}

export interface LedgerRow extends LedgerEntry {
  id: number;
}

export type ReturnStatus = 'approved' | 'pending' | 'refused';

export interface ReturnRecord {
  leadId: string;
  buyerId: string;
  sourceId: string;
  auctionId: string | null;
  priceCents: number;
  payoutCents: number;
  status: ReturnStatus;
  reason: string | null;
  requestedAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionNote: string | null;
  clawbackCents: number;
}

/** Sums of one party's movements; `balanceCents` is what the buyer owes us, or what we owe the source. */
export interface PartyBalance {
  partyKind: PartyKind;
  partyId: string;
  debitsCents: number;
  creditsCents: number;
  adjustmentsCents: number;
  balanceCents: number;
}

export interface LedgerTotals {
  saleCents: number;
  payoutCents: number;
  returnCents: number;
  clawbackCents: number;
  adjustmentCents: number;
}

const COLS = 'id, at, kind, amount_cents AS amountCents, party_kind AS partyKind, party_id AS partyId, lead_id AS leadId, auction_id AS auctionId, note, actor';
const RETURN_COLS = `lead_id AS leadId, buyer_id AS buyerId, source_id AS sourceId, auction_id AS auctionId, price_cents AS priceCents, payout_cents AS payoutCents,
  status, reason, requested_at AS requestedAt, decided_at AS decidedAt, decided_by AS decidedBy, decision_note AS decisionNote, clawback_cents AS clawbackCents`;

/**
 * The ledger and the return requests. Writes are queued with the hot path's other writes (one batch
 * with the sale they belong to); reads go to the committed file.
 */
export class LedgerRepo {
  private readonly insertEntry: Database.Statement | null;
  private readonly upsertReturn: Database.Statement | null;
  private readonly rangeStmt: Database.Statement;
  private readonly partyStmt: Database.Statement;
  private readonly balancesStmt: Database.Statement;
  private readonly totalsStmt: Database.Statement;
  private readonly returnStmt: Database.Statement;
  private readonly returnsByStatus: Database.Statement;
  private readonly returnsAll: Database.Statement;
  private readonly buyerCounts: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly queue: WriteQueue, readonly: boolean) {
    this.insertEntry = readonly
      ? null
      : db.prepare('INSERT OR IGNORE INTO ledger (at, kind, amount_cents, party_kind, party_id, lead_id, auction_id, note, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.upsertReturn = readonly
      ? null
      : db.prepare(`INSERT INTO returns (lead_id, buyer_id, source_id, auction_id, price_cents, payout_cents, status, reason, requested_at, decided_at, decided_by, decision_note, clawback_cents)
          VALUES (@leadId, @buyerId, @sourceId, @auctionId, @priceCents, @payoutCents, @status, @reason, @requestedAt, @decidedAt, @decidedBy, @decisionNote, @clawbackCents)
          ON CONFLICT (lead_id) DO UPDATE SET status = excluded.status, decided_at = excluded.decided_at, decided_by = excluded.decided_by,
            decision_note = excluded.decision_note, clawback_cents = excluded.clawback_cents`);
    this.rangeStmt = db.prepare(`SELECT ${COLS} FROM ledger WHERE at >= ? AND at < ? ORDER BY id`);
    this.partyStmt = db.prepare(`SELECT ${COLS} FROM ledger WHERE party_kind = ? AND party_id = ? AND at >= ? AND at < ? ORDER BY id`);
    this.balancesStmt = db.prepare(`SELECT party_kind AS partyKind, party_id AS partyId,
        TOTAL(CASE WHEN kind IN ('sale', 'payout') THEN amount_cents END) AS debits,
        TOTAL(CASE WHEN kind IN ('return', 'clawback') THEN amount_cents END) AS credits,
        TOTAL(CASE WHEN kind = 'adjustment' THEN amount_cents END) AS adjustments
      FROM ledger WHERE at >= ? AND at < ? GROUP BY party_kind, party_id ORDER BY party_kind, party_id`);
    this.totalsStmt = db.prepare(`SELECT TOTAL(CASE WHEN kind = 'sale' THEN amount_cents END) AS saleCents, TOTAL(CASE WHEN kind = 'payout' THEN amount_cents END) AS payoutCents,
        TOTAL(CASE WHEN kind = 'return' THEN amount_cents END) AS returnCents, TOTAL(CASE WHEN kind = 'clawback' THEN amount_cents END) AS clawbackCents,
        TOTAL(CASE WHEN kind = 'adjustment' THEN amount_cents END) AS adjustmentCents FROM ledger WHERE at >= ? AND at < ?`);
    this.returnStmt = db.prepare(`SELECT ${RETURN_COLS} FROM returns WHERE lead_id = ?`);
    this.returnsByStatus = db.prepare(`SELECT ${RETURN_COLS} FROM returns WHERE status = ? ORDER BY requested_at, lead_id LIMIT ?`);
    this.returnsAll = db.prepare(`SELECT ${RETURN_COLS} FROM returns ORDER BY requested_at DESC, lead_id LIMIT ?`);
    this.buyerCounts = db.prepare(`SELECT (SELECT COUNT(*) FROM ledger WHERE kind = 'sale' AND party_kind = 'buyer' AND party_id = @buyerId AND at >= @since) AS sold,
        (SELECT COUNT(*) FROM returns WHERE buyer_id = @buyerId AND status = 'approved' AND requested_at >= @since) AS returned`);
  }

  book(entries: readonly LedgerEntry[]): void {
    const stmt = this.insertEntry;
    if (!stmt) return;
    for (const e of entries) {
      this.queue.enqueue({ stmt, params: [e.at, e.kind, Math.trunc(e.amountCents), e.partyKind, e.partyId, e.leadId, e.auctionId, e.note, e.actor], critical: true });
    }
  }

  saveReturn(r: ReturnRecord): void {
    const stmt = this.upsertReturn;
    if (stmt) this.queue.enqueue({ stmt, params: [r], critical: true });
  }

  // Range reads, also as ReadSteps for the read thread (Store.readOffLoop): a month of sales is millions of rows.
  entries(from: number, to: number): LedgerRow[] { return runSteps(this.db, this.entriesSteps(from, to)); }
  partyEntries(partyKind: PartyKind, partyId: string, from: number, to: number): LedgerRow[] { return runSteps(this.db, this.partyEntriesSteps(partyKind, partyId, from, to)); }
  balances(from: number, to: number): PartyBalance[] { return runSteps(this.db, this.balancesSteps(from, to)); }
  totals(from: number, to: number): LedgerTotals { return runSteps(this.db, this.totalsSteps(from, to)); }

  *entriesSteps(from: number, to: number): ReadSteps<LedgerRow[]> { return (yield allRows(this.rangeStmt, from, to)) as LedgerRow[]; }
  *partyEntriesSteps(partyKind: PartyKind, partyId: string, from: number, to: number): ReadSteps<LedgerRow[]> {
    return (yield allRows(this.partyStmt, partyKind, partyId, from, to)) as LedgerRow[];
  }
  *totalsSteps(from: number, to: number): ReadSteps<LedgerTotals> { return (yield getRow(this.totalsStmt, from, to)) as LedgerTotals; }

  *balancesSteps(from: number, to: number): ReadSteps<PartyBalance[]> {
    type Row = { partyKind: PartyKind; partyId: string; debits: number; credits: number; adjustments: number };
    return ((yield allRows(this.balancesStmt, from, to)) as Row[]).map((r) => ({
      partyKind: r.partyKind,
      partyId: r.partyId,
      debitsCents: r.debits,
      creditsCents: r.credits,
      adjustmentsCents: r.adjustments,
      balanceCents: r.debits - r.credits + r.adjustments,
    }));
  }

  getReturn(leadId: string): ReturnRecord | null { return (this.returnStmt.get(leadId) as ReturnRecord | undefined) ?? null; }
  listReturns(status: ReturnStatus | undefined, limit: number): ReturnRecord[] {
    return (status ? this.returnsByStatus.all(status, limit) : this.returnsAll.all(limit)) as ReturnRecord[];
  }
  /** Sales booked to a buyer and its approved returns since a time: the buyer's return rate. */
  buyerReturnCounts(buyerId: string, since: number): { sold: number; returned: number } {
    return this.buyerCounts.get({ buyerId, since }) as { sold: number; returned: number };
  }
}

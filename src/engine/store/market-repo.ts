import type Database from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

/** A lead's predicted value as recorded at intake (see market/lead-value-estimator.ts). */
export interface LeadValueRecord {
  leadId: string;
  campaignId: string;
  sourceId: string;
  at: number;
  predictedCents: number;
  level: string;
  samples: number;
  modelTrainedAt: number;
}

/** One change a dynamic floor made (its `config` audit event says the same). */
export interface FloorChangeRecord {
  at: number;
  campaignId: string;
  tierName: string;
  fromCents: number;
  toCents: number;
  targetCents: number;
  basis: string;
  percentile: number;
  samples: number;
  limitedBy: string | null;
}

/** A `config` audit event as stored (its data is the canonical JSON the chain hashed). */
export interface ConfigAuditRow {
  seq: number;
  at: number;
  actor: string;
  data: string;
}

/** One finished auction as the lead value model learns it: what the lead earned (sale price, 0 unsold), newest first. */
export interface TrainingRow {
  startedAt: number;
  id: string;
  campaignId: string;
  sourceId: string;
  state: string | null;
  valueCents: number;
}

/** Prediction error over finished auctions; sums in cents, the caller divides. */
export interface PredictionErrorSums {
  outcome: 'sold' | 'unsold';
  leads: number;
  predictedCents: number;
  actualCents: number;
  absErrorCents: number;
}

/**
 * Reads and writes of the self-tuning market. Every read is an indexed range with a LIMIT, so a
 * recomputation costs the same on a store of a thousand auctions or of millions.
 */
export class MarketRepo {
  private readonly insertEstimate: Database.Statement | null;
  private readonly insertFloorChange: Database.Statement | null;
  private readonly winningBidsStmt: Database.Statement;
  private readonly predictedStmt: Database.Statement;
  private readonly trainingStmt: Database.Statement;
  private readonly estimateStmt: Database.Statement;
  private readonly lastChangeStmt: Database.Statement;
  private readonly changesStmt: Database.Statement;
  private readonly errorStmt: Database.Statement;
  private readonly errorCampaignStmt: Database.Statement;
  private readonly configEventsStmt: Database.Statement;

  constructor(db: Database.Database, private readonly queue: WriteQueue, readonly: boolean) {
    this.insertEstimate = readonly
      ? null
      : db.prepare(`INSERT OR IGNORE INTO lead_value_estimates (lead_id, campaign_id, source_id, at, predicted_cents, level, samples, model_trained_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertFloorChange = readonly
      ? null
      : db.prepare(`INSERT INTO floor_changes (at, campaign_id, tier_name, from_cents, to_cents, target_cents, basis, percentile, samples, limited_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // auctions_campaign (campaign_id, started_at, id): the campaign's newest first, bounded (`+` keeps it off auctions_status).
    this.winningBidsStmt = db.prepare(`SELECT price_cents AS cents FROM auctions
      WHERE campaign_id = ? AND started_at >= ? AND +status = 'sold' AND +test = 0 AND tier_reached = ? AND price_cents IS NOT NULL
      ORDER BY started_at DESC LIMIT ?`);
    this.predictedStmt = db.prepare(`SELECT predicted_cents AS cents FROM lead_value_estimates WHERE campaign_id = ? AND at >= ? ORDER BY at DESC LIMIT ?`);
    // auctions_started (started_at, …), then the lead by its primary key: the newest finished auctions.
    // One page of the newest finished auctions before a (started_at, id) key: auctions_started in its order (the `+`
    // keeps the planner off auctions_status, which would sort every finished auction for each page), then each lead by its key.
    this.trainingStmt = db.prepare(`SELECT a.started_at AS startedAt, a.id AS id, a.campaign_id AS campaignId, a.source_id AS sourceId, l.state AS state,
        CASE WHEN a.status = 'sold' THEN a.price_cents ELSE 0 END AS valueCents
      FROM auctions a JOIN leads l ON l.id = a.lead_id
      WHERE a.started_at >= @from AND (a.started_at, a.id) < (@beforeAt, @beforeId) AND +a.test = 0 AND +a.status IN ('sold', 'unsold')
      ORDER BY a.started_at DESC, a.id DESC LIMIT @limit`);
    this.estimateStmt = db.prepare(`SELECT lead_id AS leadId, campaign_id AS campaignId, source_id AS sourceId, at, predicted_cents AS predictedCents, level, samples,
      model_trained_at AS modelTrainedAt FROM lead_value_estimates WHERE lead_id = ?`);
    const changeCols = `at, campaign_id AS campaignId, tier_name AS tierName, from_cents AS fromCents, to_cents AS toCents, target_cents AS targetCents,
      basis, percentile, samples, limited_by AS limitedBy`;
    this.lastChangeStmt = db.prepare(`SELECT ${changeCols} FROM floor_changes WHERE campaign_id = ? AND tier_name = ? ORDER BY at DESC, id DESC LIMIT 1`);
    this.changesStmt = db.prepare(`SELECT ${changeCols} FROM floor_changes WHERE campaign_id = ? AND at >= ? AND at < ? ORDER BY at, id LIMIT ?`);
    const errorSql = (where: string): string => `SELECT a.status AS outcome, COUNT(*) AS leads, TOTAL(e.predicted_cents) AS predictedCents,
        TOTAL(CASE WHEN a.status = 'sold' THEN a.price_cents ELSE 0 END) AS actualCents,
        TOTAL(ABS(e.predicted_cents - CASE WHEN a.status = 'sold' THEN a.price_cents ELSE 0 END)) AS absErrorCents
      FROM lead_value_estimates e JOIN auctions a ON a.lead_id = e.lead_id
      WHERE ${where} AND a.status IN ('sold', 'unsold') GROUP BY a.status ORDER BY a.status`;
    this.errorStmt = db.prepare(errorSql('e.at >= ? AND e.at < ?'));
    this.errorCampaignStmt = db.prepare(errorSql('e.campaign_id = ? AND e.at >= ? AND e.at < ?'));
    this.configEventsStmt = db.prepare(`SELECT seq, at, actor, data FROM audit_events
      WHERE type = 'config' ORDER BY at DESC, seq DESC LIMIT ?`);
  }

  /** Queued with the lead's other writes (the auction's batch). */
  recordEstimate(r: LeadValueRecord): void {
    if (!this.insertEstimate) return;
    this.queue.enqueue({ stmt: this.insertEstimate, params: [r.leadId, r.campaignId, r.sourceId, r.at, r.predictedCents, r.level, r.samples, r.modelTrainedAt] });
  }

  recordFloorChange(r: FloorChangeRecord): void {
    if (!this.insertFloorChange) return;
    this.queue.enqueue({
      stmt: this.insertFloorChange,
      params: [r.at, r.campaignId, r.tierName, r.fromCents, r.toCents, r.targetCents, r.basis, r.percentile, r.samples, r.limitedBy],
    });
  }

  /** Sale prices of the tier's newest non-test sales since `since`, at most `limit`. */
  winningBids(campaignId: string, tierIndex: number, since: number, limit: number): number[] {
    return (this.winningBidsStmt.all(campaignId, since, tierIndex, limit) as Array<{ cents: number }>).map((r) => r.cents);
  }

  /** Predicted values of the campaign's newest leads since `since`, at most `limit`. */
  predictedValues(campaignId: string, since: number, limit: number): number[] {
    return (this.predictedStmt.all(campaignId, since, limit) as Array<{ cents: number }>).map((r) => r.cents);
  }

  /**
   * Up to `limit` finished, non-test auctions started at or after `from` and before the key `before`
   * (newest first); page on with the last row's `startedAt` and `id`.
   */
  trainingPage(from: number, before: { startedAt: number; id: string }, limit: number): TrainingRow[] {
    return this.trainingStmt.all({ from, beforeAt: before.startedAt, beforeId: before.id, limit }) as TrainingRow[];
  }

  estimate(leadId: string): LeadValueRecord | null {
    return (this.estimateStmt.get(leadId) as LeadValueRecord | undefined) ?? null;
  }

  lastFloorChange(campaignId: string, tierName: string): FloorChangeRecord | null {
    return (this.lastChangeStmt.get(campaignId, tierName) as FloorChangeRecord | undefined) ?? null;
  }

  floorChanges(campaignId: string, from: number, to: number, limit: number): FloorChangeRecord[] {
    return this.changesStmt.all(campaignId, from, to, limit) as FloorChangeRecord[];
  }

  /** The newest `config` events of the whole trail, read backwards along the config-only index (migration 0170). */
  configEvents(limit: number): ConfigAuditRow[] {
    return this.configEventsStmt.all(limit) as ConfigAuditRow[];
  }

  predictionError(from: number, to: number, campaignId?: string): PredictionErrorSums[] {
    const rows = campaignId === undefined ? this.errorStmt.all(from, to) : this.errorCampaignStmt.all(campaignId, from, to);
    return rows as PredictionErrorSums[];
  }
}


import type { Database, Statement } from 'better-sqlite3';

export interface PlacementMoveRecord {
  at: number;
  campaignId: string;
  buyerId: string;
  action: 'promote' | 'demote';
  fromTier: number;
  toTier: number;
  /** `engine` for an automatic move, else the operator who applied the suggestion. */
  appliedBy: string;
  evidence: Record<string, unknown>;
}

/** A stored move: the record with its evidence as JSON. */
type MoveRow = Omit<PlacementMoveRecord, 'evidence'> & { evidenceJson: string };

const COLUMNS = 'at, campaign_id AS campaignId, buyer_id AS buyerId, action, from_tier AS fromTier, to_tier AS toTier, applied_by AS appliedBy, evidence_json AS evidenceJson';

/** Tier placement moves (migration 0120): written at once (configuration, not the hot path). */
export class PlacementRepo {
  private readonly insert: Statement | null = null;
  private readonly lastFor: Statement | null = null;
  private readonly recent: Statement | null = null;

  constructor(db: Database) {
    // A read-only copy of an older folder has no such table (no migration runs on it): it has no moves.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'placement_moves'").get()) return;
    this.insert = db.prepare('INSERT INTO placement_moves (at, campaign_id, buyer_id, action, from_tier, to_tier, applied_by, evidence_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.lastFor = db.prepare(`SELECT ${COLUMNS} FROM placement_moves WHERE campaign_id = ? AND buyer_id = ? ORDER BY at DESC, id DESC LIMIT 1`);
    this.recent = db.prepare(`SELECT ${COLUMNS} FROM placement_moves WHERE at >= ? AND (? IS NULL OR campaign_id = ?) ORDER BY at DESC, id DESC LIMIT ?`);
  }

  record(m: PlacementMoveRecord): void {
    if (!this.insert) throw new Error('placement_moves is missing: the database was not migrated');
    this.insert.run(m.at, m.campaignId, m.buyerId, m.action, m.fromTier, m.toTier, m.appliedBy, JSON.stringify(m.evidence));
  }

  lastMove(campaignId: string, buyerId: string): PlacementMoveRecord | null {
    const row = this.lastFor?.get(campaignId, buyerId) as MoveRow | undefined;
    return row ? toMove(row) : null;
  }

  recentMoves(sinceMs: number, campaignId: string | null, limit: number): PlacementMoveRecord[] {
    return ((this.recent?.all(sinceMs, campaignId, campaignId, limit) ?? []) as MoveRow[]).map(toMove);
  }
}

function toMove({ evidenceJson, ...row }: MoveRow): PlacementMoveRecord {
  return { ...row, evidence: JSON.parse(evidenceJson) as Record<string, unknown> };
}

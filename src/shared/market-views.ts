import type { DynamicFloorBasis, DynamicFloorSpec } from './dynamic-floor.js';

/** What the console sees of dynamic floors and predicted lead values. Money in dollars, times in epoch ms. */

export type FloorLimitView = 'min' | 'max' | 'step' | null;

/** One change a dynamic floor made; the same change is a `config` audit event with `reason: 'dynamicFloor'`. */
export interface FloorChangeView {
  at: number;
  campaignId: string;
  tier: string;
  from: number;
  to: number;
  /** The percentile of the samples, before bounds and the step limit. */
  target: number;
  basis: DynamicFloorBasis;
  percentile: number;
  samples: number;
  limitedBy: FloorLimitView;
}

/** What the next recomputation would do with the store as it is now. */
export type NextFloorView =
  | { kind: 'too_few_samples'; samples: number; needed: number }
  | { kind: 'unchanged' | 'change'; samples: number; target: number; to: number; limitedBy: FloorLimitView };

export interface DynamicFloorView {
  tierIndex: number;
  tier: string;
  floor: number;
  dynamicFloor: DynamicFloorSpec | null;
  /** Null when the tier has no dynamic floor settings. */
  next: NextFloorView | null;
  lastChange: FloorChangeView | null;
}

/** A lead's predicted value at intake, beside what it earned once its auction finished. */
export interface LeadValueView {
  leadId: string;
  predicted: number;
  /** The deepest level with history: the campaign, its source, or the source in the lead's state. */
  level: 'campaign' | 'source' | 'sourceState';
  samples: number;
  at: number;
  modelTrainedAt: number;
  /** What the lead earned (its sale price; 0 unsold); null while its outcome is open or unknown. */
  actual: number | null;
}

export interface PredictionErrorRow {
  leads: number;
  meanPredicted: number;
  meanActual: number;
  /** Mean absolute error: mean of |predicted − actual|. */
  mae: number;
  /** Mean of (predicted − actual): above zero, the model expects too much. */
  bias: number;
}

/** The model's error over leads predicted in the window whose auctions ended sold or unsold. */
export interface PredictionErrorReport {
  from: number;
  to: number;
  campaignId: string | null;
  sold: PredictionErrorRow;
  unsold: PredictionErrorRow;
  all: PredictionErrorRow;
}

/** One `config` event of the audit trail: who changed the configuration, when, and what (its recorded data). */
export interface ConfigAuditView {
  seq: number;
  at: number;
  actor: string;
  data: Record<string, unknown>;
}

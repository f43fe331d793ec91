/**
 * A tier floor that follows the market (workspace key `dynamicFloor` on a tier). Money in dollars,
 * times in ms, as everywhere in the workspace. The engine recomputes it every `intervalMs`: the
 * `percentile` of the samples of the last `windowMs` (the tier's winning bids, or the predicted value
 * of the campaign's leads), held within `min`..`max`, moving at most `maxStep` per change. Fewer than
 * `minSamples` samples: no change. `enabled: false` keeps the settings and the floor where it is.
 */
export interface DynamicFloorSpec {
  enabled: boolean;
  basis: DynamicFloorBasis;
  percentile: number;
  windowMs: number;
  /** Fewer samples than this in the window: the floor is left alone (default 20). */
  minSamples?: number;
  min: number;
  max: number;
  maxStep: number;
  intervalMs: number;
}

export type DynamicFloorBasis = 'winningBids' | 'predictedValue';

export const DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES = 20;

/** The `reason` of a `config` audit event written by a dynamic floor change (chart markers look for it). */
export const DYNAMIC_FLOOR_REASON = 'dynamicFloor';

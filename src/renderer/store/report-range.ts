/** Report ranges and the bucket that fits them: pure, so the choice is tested without a clock. */

export type RangePreset = '1h' | '24h' | '7d' | '30d' | 'custom';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const PRESET_MS: Record<Exclude<RangePreset, 'custom'>, number> = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

export const PRESET_LABELS: Record<RangePreset, string> = { '1h': 'Last hour', '24h': 'Last 24 h', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Custom' };

/** Bucket sizes a reader recognises; the smallest giving at most MAX_POINTS points is used. */
const BUCKETS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, DAY];
const MAX_POINTS = 120;

export function bucketFor(rangeMs: number): number {
  return BUCKETS.find((b) => rangeMs / b <= MAX_POINTS) ?? DAY;
}

export function rangeFor(preset: Exclude<RangePreset, 'custom'>, now: number): { from: number; to: number } {
  return { from: now - PRESET_MS[preset], to: now };
}

import type { DynamicFloorBasis, DynamicFloorSpec } from '../../../shared/dynamic-floor.js';
import { DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES } from '../../../shared/dynamic-floor.js';

/** The dynamic floor dialog's fields as typed: dollars, minutes and seconds, converted on save. */
export interface DynamicFloorForm {
  enabled: boolean;
  basis: DynamicFloorBasis;
  percentile: string;
  windowMinutes: string;
  minSamples: string;
  min: string;
  max: string;
  maxStep: string;
  intervalSeconds: string;
}

export type FormErrors = Partial<Record<keyof DynamicFloorForm, string>>;

/** The form for a tier: its settings when it has some, else a starting point around today's floor. */
export function dynamicFloorForm(spec: DynamicFloorSpec | undefined, floor: number): DynamicFloorForm {
  if (spec) {
    return {
      enabled: spec.enabled,
      basis: spec.basis,
      percentile: String(spec.percentile),
      windowMinutes: String(spec.windowMs / 60_000),
      minSamples: String(spec.minSamples ?? DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES),
      min: spec.min.toFixed(2),
      max: spec.max.toFixed(2),
      maxStep: spec.maxStep.toFixed(2),
      intervalSeconds: String(spec.intervalMs / 1000),
    };
  }
  return {
    enabled: true,
    basis: 'winningBids',
    percentile: '25',
    windowMinutes: '60',
    minSamples: String(DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES),
    min: floor.toFixed(2),
    max: (floor + 20).toFixed(2),
    maxStep: '1.00',
    intervalSeconds: '300',
  };
}

const MONEY = /^\d+(\.\d{1,2})?$/;
const WHOLE = /^\d+$/;

/**
 * The settings the form describes, or what is wrong with it, field by field. The engine checks them
 * again with the workspace schema; this only catches what a person can fix before sending.
 */
export function parseDynamicFloorForm(f: DynamicFloorForm): { ok: true; spec: DynamicFloorSpec } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const whole = (key: keyof DynamicFloorForm, lo: number, hi: number, what: string): number => {
    const text = String(f[key]).trim();
    const n = Number(text);
    if (!WHOLE.test(text) || n < lo || n > hi) errors[key] = `${what} from ${lo} to ${hi}`;
    return n;
  };
  const money = (key: keyof DynamicFloorForm): number => {
    const text = String(f[key]).trim().replace(/^\$/, '');
    if (!MONEY.test(text)) errors[key] = 'dollars with at most two decimals';
    return Number(text);
  };
  const percentile = whole('percentile', 1, 99, 'a whole percentile');
  const windowMinutes = whole('windowMinutes', 1, 129_600, 'whole minutes');
  const minSamples = whole('minSamples', 1, 10_000, 'a whole number');
  const intervalSeconds = whole('intervalSeconds', 1, 604_800, 'whole seconds');
  const min = money('min');
  const max = money('max');
  const maxStep = money('maxStep');
  if (!errors.min && !errors.max && min > max) errors.max = 'at least the minimum';
  if (!errors.maxStep && maxStep <= 0) errors.maxStep = 'above zero';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    spec: { enabled: f.enabled, basis: f.basis, percentile, windowMs: windowMinutes * 60_000, minSamples, min, max, maxStep, intervalMs: intervalSeconds * 1000 },
  };
}

/** "P25 of winning bids, $5.00–$40.00, ±$1.00 every 5 min" */
export function describeDynamicFloor(spec: DynamicFloorSpec, money: (n: number) => string): string {
  const basis = spec.basis === 'winningBids' ? 'winning bids' : 'predicted lead values';
  return `P${spec.percentile} of ${basis}, ${money(spec.min)}–${money(spec.max)}, ±${money(spec.maxStep)} every ${duration(spec.intervalMs)}`;
}

function duration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

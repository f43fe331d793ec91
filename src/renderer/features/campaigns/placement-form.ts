import type { TierPlacementSpec } from '../../../shared/domain.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { parseOptionalNumber } from '../buyers/field-errors.js';

/**
 * The campaign editor's tier placement controls as text, and back to the workspace's
 * `tierPlacement` (percent rates, ms times). The cool-down is edited in minutes, the operator's unit.
 * Empty optional thresholds judge nothing. Defaults are the engine's (workspace/schema.ts).
 */
export interface PlacementForm {
  mode: TierPlacementSpec['mode'];
  promoteConversionPercent: string;
  demoteConversionPercent: string;
  minAcceptPercent: string;
  maxTimeoutPercent: string;
  maxResponseMs: string;
  maxReturnPercent: string;
  minSamples: string;
  cooldownMinutes: string;
}

const str = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function placementToForm(p: TierPlacementSpec | undefined): PlacementForm {
  return {
    mode: p?.mode ?? 'off',
    promoteConversionPercent: str(p?.promoteConversionPercent ?? 12),
    demoteConversionPercent: str(p?.demoteConversionPercent ?? 8),
    minAcceptPercent: str(p?.minAcceptPercent),
    maxTimeoutPercent: str(p?.maxTimeoutPercent),
    maxResponseMs: str(p?.maxResponseMs),
    maxReturnPercent: str(p?.maxReturnPercent),
    minSamples: str(p?.minSamples ?? 20),
    cooldownMinutes: str((p?.cooldownMs ?? 3_600_000) / 60_000),
  };
}

/** Undefined when placement is off and the campaign never had a policy: the file stays as it was. */
export function formToPlacement(form: PlacementForm, original: TierPlacementSpec | undefined, errors: FieldErrors): TierPlacementSpec | undefined {
  if (form.mode === 'off' && original === undefined) return undefined;
  const read = (text: string, key: string, whole = false): number | undefined => {
    const n = parseOptionalNumber(text);
    if (n !== undefined && (Number.isNaN(n) || (whole && !Number.isInteger(n)))) errors[`tierPlacement.${key}`] = whole ? 'A whole number' : 'A number';
    return n === undefined || Number.isNaN(n) ? undefined : n;
  };
  const need = (text: string, key: string, whole = false): number => {
    const n = read(text, key, whole);
    if (n === undefined && !errors[`tierPlacement.${key}`]) errors[`tierPlacement.${key}`] = 'Required';
    return n ?? 0;
  };
  const spec: TierPlacementSpec = {
    mode: form.mode,
    promoteConversionPercent: need(form.promoteConversionPercent, 'promoteConversionPercent'),
    demoteConversionPercent: need(form.demoteConversionPercent, 'demoteConversionPercent'),
    minSamples: need(form.minSamples, 'minSamples', true),
    cooldownMs: Math.round(need(form.cooldownMinutes, 'cooldownMs') * 60_000),
  };
  const optional = { minAcceptPercent: form.minAcceptPercent, maxTimeoutPercent: form.maxTimeoutPercent, maxResponseMs: form.maxResponseMs, maxReturnPercent: form.maxReturnPercent };
  for (const [key, text] of Object.entries(optional) as Array<[keyof typeof optional, string]>) {
    const n = read(text, key, key === 'maxResponseMs');
    if (n !== undefined) spec[key] = n;
  }
  return spec;
}

import type { ErrorDetail } from '../../../shared/errors.js';
import type { TierSpec } from '../../../shared/domain.js';

/** One tier of variant B as the start form edits it: the floor as typed, buyers as a comma list. */
export interface VariantTierDraft {
  name: string;
  floor: string;
  buyers: string;
}

export interface AbStartDraft {
  name: string;
  split: string;
  tiers: VariantTierDraft[];
}

/** The form starts from a copy of the campaign's own tree, so B differs only where the operator edits it. */
export function draftFromTiers(tiers: TierSpec[], now: Date): AbStartDraft {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return {
    name: `test-${stamp}`,
    split: '50',
    tiers: tiers.map((t) => ({ name: t.name, floor: t.floor.toFixed(2), buyers: t.buyers.join(', ') })),
  };
}

/**
 * The arguments of `ab.start` from the form, or the problems by field. Only the shape is checked
 * here; the engine checks the rest (known buyers, a buyer in one tier) and names the field itself.
 * A tier keeps the copied tier's distribution and weights.
 */
export function parseAbStart(draft: AbStartDraft, copiedFrom: TierSpec[]): { ok: true; name: string; splitPercent: number; tiers: TierSpec[] } | { ok: false; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const name = draft.name.trim();
  if (!name) problems.push({ field: 'name', message: 'give the test a name' });
  const split = Number(draft.split);
  if (!/^\d+$/.test(draft.split.trim()) || split < 1 || split > 99) problems.push({ field: 'splitPercent', message: 'a whole percent from 1 to 99' });
  const tiers = draft.tiers.map((t, i): TierSpec => {
    const floorText = t.floor.trim().replace(/^\$/, '');
    if (!/^\d+(\.\d{1,2})?$/.test(floorText)) problems.push({ field: `tiers[${i}].floor`, message: 'dollars, at most two decimals' });
    const buyers = t.buyers.split(/[\s,]+/).filter(Boolean);
    const { distribution, weights } = copiedFrom[i] ?? {};
    return { name: t.name.trim() || `Tier ${i + 1}`, floor: Number(floorText), buyers, ...(distribution ? { distribution } : {}), ...(weights ? { weights } : {}) };
  });
  return problems.length ? { ok: false, problems } : { ok: true, name, splitPercent: split, tiers };
}

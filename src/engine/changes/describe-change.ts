import type { ChangeSubject, ChangeView } from '../../shared/change-views.js';
import type { AuditEvent } from '../store/records.js';

interface TierShape {
  name: string;
  floor: number;
  buyers: string[];
}

/** Buyer id → the name the operator knows it by (the id itself when the buyer is gone). */
export type BuyerName = (buyerId: string) => string;

/**
 * A `config` audit event in the operator's words, or null when it does not change who is pinged or
 * at what price (API keys, sources). Pure: the names come in, so a test reads a sentence without a store.
 * Shapes it reads (config-service.ts): `{kind:'tiers', action:'floor', tier, before, after}`,
 * `{kind:'tiers', action:'tiers', before:[tiers], after:[tiers]}`, `{kind:'buyer', action}`,
 * `{kind:'campaign', action}`, `{kind:'workspace'}`; any of them may carry a `reason`.
 */
export function describeConfigEvent(e: AuditEvent, buyerName: BuyerName): ChangeView | null {
  const d = e.data;
  const kind = str(d.kind);
  const action = str(d.action);
  const id = str(d.id);
  const reason = reasonOf(d);
  const view = (campaignId: string | null, subject: ChangeSubject, details: string[], buyerId: string | null = null): ChangeView => ({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    campaignId,
    buyerId,
    subject,
    summary: details.join('; '),
    details,
    reason,
  });

  if (kind === 'tiers' && action === 'dynamicFloor') {
    const after = d.after as { enabled?: unknown } | null | undefined;
    const state = after == null ? 'removed' : after.enabled === true ? 'switched on' : 'switched off';
    return view(id, 'floor', [`${str(d.tier) ?? 'Tier'} dynamic floor ${state}`]);
  }
  // A floor however it was set: by hand (`action: 'floor'`) or by a policy that names its own action.
  if (kind === 'tiers' && typeof d.before === 'number' && typeof d.after === 'number') {
    const tier = str(d.tier) ?? str(d.tierName) ?? (typeof d.tierIndex === 'number' ? `Tier ${d.tierIndex + 1}` : 'Tier');
    return view(id, 'floor', [`${tier} floor ${money(d.before)} → ${money(d.after)}`]);
  }
  if (kind === 'tiers') {
    const before = tiersOf(d.before);
    const after = tiersOf(d.after);
    if (!before || !after) return view(id, 'tiers', ['Ping tree changed']);
    const details = diffTiers(before, after, buyerName);
    const onlyFloors = details.length > 0 && details.every((x) => / floor \$/.test(x) && !x.includes(' added'));
    return view(id, onlyFloors ? 'floor' : 'tiers', details.length ? details : ['Ping tree saved unchanged']);
  }
  if (kind === 'campaign') {
    const words = action === 'delete' ? 'deleted' : 'saved';
    const minPrice = d.minPriceBefore !== undefined && d.minPriceAfter !== undefined ? [`Campaign minimum ${money(d.minPriceBefore)} → ${money(d.minPriceAfter)}`] : [];
    return view(id, 'campaign', [`Campaign ${id ?? ''} ${words}`.replace('  ', ' '), ...minPrice]);
  }
  if (kind === 'buyer') {
    const name = id ? buyerName(id) : 'A buyer';
    const words: Record<string, string> = { pause: 'paused', resume: 'resumed', delete: 'deleted', caps: 'caps changed', save: 'saved' };
    const done = action ? words[action] : undefined;
    // An action this list does not know is still shown when it says why (an automatic change).
    if (!done) return reason && action ? view(null, 'buyer', [`${name}: ${action.replace(/_/g, ' ')}`], id) : null;
    return view(null, 'buyer', [`${name} ${done}`], id);
  }
  if (kind === 'workspace') return view(null, 'workspace', ['Workspace imported: every campaign, source and buyer replaced']);
  return null;
}

/** Every difference between two trees, tiers matched by name: floors, tiers added or removed, order, buyers. */
export function diffTiers(before: TierShape[], after: TierShape[], buyerName: BuyerName): string[] {
  const out: string[] = [];
  const beforeNames = before.map((t) => t.name);
  const afterNames = after.map((t) => t.name);
  for (const t of after) if (!beforeNames.includes(t.name)) out.push(`${t.name} added (floor ${money(t.floor)})`);
  for (const t of before) if (!afterNames.includes(t.name)) out.push(`${t.name} removed`);
  const kept = afterNames.filter((n) => beforeNames.includes(n));
  const keptBefore = beforeNames.filter((n) => afterNames.includes(n));
  if (kept.join('\u0000') !== keptBefore.join('\u0000')) out.push(`Tier order ${kept.join(', ')} (was ${keptBefore.join(', ')})`);
  for (const t of after) {
    const old = before.find((b) => b.name === t.name);
    if (old && old.floor !== t.floor) out.push(`${t.name} floor ${money(old.floor)} → ${money(t.floor)}`);
  }
  const where = (tiers: TierShape[], buyerId: string): string | null => tiers.find((t) => t.buyers.includes(buyerId))?.name ?? null;
  const buyers = [...new Set([...before.flatMap((t) => t.buyers), ...after.flatMap((t) => t.buyers)])];
  for (const b of buyers) {
    const from = where(before, b);
    const to = where(after, b);
    if (from === to) continue;
    if (from === null) out.push(`${buyerName(b)} added to ${to}`);
    else if (to === null) out.push(`${buyerName(b)} taken out of ${from}`);
    else out.push(`${buyerName(b)} moved ${from} → ${to}`);
  }
  return out;
}

function tiersOf(v: unknown): TierShape[] | null {
  if (!Array.isArray(v)) return null;
  return v.map((t: { name?: unknown; floor?: unknown; buyers?: unknown }, i) => ({
    name: typeof t.name === 'string' && t.name.trim() ? t.name : `Tier ${i + 1}`,
    floor: typeof t.floor === 'number' ? t.floor : 0,
    buyers: Array.isArray(t.buyers) ? t.buyers.filter((b): b is string => typeof b === 'string') : [],
  }));
}

/**
 * Why, in words: a dynamic floor's recomputation (`reason: "dynamicFloor"`, engine/market) says what it followed;
 * any other reason is shown as recorded.
 */
function reasonOf(d: Record<string, unknown>): string | null {
  const reason = str(d.reason);
  if (reason !== 'dynamicFloor') return reason;
  const basis = d.basis === 'predictedValue' ? 'predicted lead values' : 'winning bids';
  const percentile = typeof d.percentile === 'number' ? `p${d.percentile} of ` : '';
  const samples = typeof d.samples === 'number' ? `, ${d.samples} samples` : '';
  const limited = str(d.limitedBy) ? `, held to its ${String(d.limitedBy)}` : '';
  return `dynamic floor: ${percentile}${basis}${samples}${limited}`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Dollars as the console writes them: "$1,234.50". */
function money(v: unknown): string {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : 0;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

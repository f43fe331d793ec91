import type { AuctionSummary, LeadSummary } from '../../shared/console-api.js';
import type { LeadFields } from '../../shared/domain.js';
import { toDollars } from '../money.js';
import type { AuctionRecord, LeadRecord } from '../store/records.js';

/** How store records look on the console's side of the contract: dollars, nulls, no internals. */

export const cents = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : toDollars(v));
export const rate = (n: number, d: number): number => (d > 0 ? n / d : 0);

export function toAuctionSummary(a: AuctionRecord & { state?: string | null }): AuctionSummary {
  return {
    id: a.id,
    leadId: a.leadId,
    campaignId: a.campaignId,
    sourceId: a.sourceId,
    state: a.state ?? null,
    startedAt: a.startedAt,
    status: a.status,
    tierReached: a.tierReached ?? null,
    winnerBuyerId: a.winnerBuyerId ?? null,
    price: cents(a.priceCents),
    payout: cents(a.payoutCents),
    margin: cents(a.marginCents),
    latencyMs: a.latencyMs ?? null,
    test: a.test,
    reason: a.reason ?? null,
  };
}

export function toLeadSummary(l: LeadRecord): LeadSummary {
  const phone = l.fields.phone;
  const email = l.fields.email;
  return {
    id: l.id,
    campaignId: l.campaignId,
    sourceId: l.sourceId,
    receivedAt: l.receivedAt,
    status: l.status,
    test: l.test,
    price: cents(l.priceCents),
    buyerId: l.buyerId ?? null,
    phone: typeof phone === 'string' ? phone : null,
    email: typeof email === 'string' ? email : null,
    state: l.state,
  };
}

export function keyView(k: { id: string; prefix: string; createdAt: number; revokedAt: number | null }) {
  return { id: k.id, prefix: k.prefix, createdAt: k.createdAt, revokedAt: k.revokedAt };
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = /authorization|api-key|token|secret/i.test(k) ? `${v.slice(0, 10)}…` : v;
  return out;
}

/** Plausible values for a test ping when the operator gives none. */
export function sampleFields(fields: Record<string, { type: string; min?: number; values?: string[] }>): LeadFields {
  const out: LeadFields = {};
  for (const [name, spec] of Object.entries(fields)) {
    if (spec.type === 'state') out[name] = 'TX';
    else if (spec.type === 'zip') out[name] = '78701';
    else if (spec.type === 'integer' || spec.type === 'number') out[name] = Math.max(spec.min ?? 0, name.includes('year') ? 2020 : 40);
    else if (spec.type === 'boolean') out[name] = true;
    else if (spec.type === 'enum') out[name] = spec.values?.[0] ?? null;
    else if (spec.type === 'date') out[name] = '2000-01-01';
  }
  return out;
}

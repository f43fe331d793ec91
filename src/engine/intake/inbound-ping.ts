import type { FieldValue, LeadFields } from '../../shared/domain.js';
import type { ErrorCode, ErrorDetail } from '../../shared/errors.js';
import { statusFor } from '../../shared/errors.js';
import type { Dispatcher } from '../auction/dispatch.js';
import { effectiveFloor } from '../auction/floor.js';
import { HeldPings, pingTtlMs, type HeldTier } from '../auction/held-bids.js';
import { computePayout } from '../auction/payout.js';
import { rankBids, type Bid } from '../auction/winner.js';
import { buildPingRequest } from '../deliver/build-ping.js';
import { toDollars } from '../money.js';
import type { CircuitBreaker } from '../signals/circuit-breaker.js';
import type { Store } from '../store/index.js';
import type { CapsLedger } from '../tree/caps-ledger.js';
import { selectEligible } from '../tree/eligibility.js';
import { isBlank, normaliseField } from '../validate/normalise-field.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import type { IntakeAnswer } from './lead-intake.js';
import type { SourceRateLimiter } from './rate-limiter.js';

export interface InboundPingDeps {
  store: Store;
  config: () => RuntimeConfig;
  dispatcher: Dispatcher;
  caps: CapsLedger;
  breaker: CircuitBreaker;
  limiter: SourceRateLimiter;
  held: HeldPings;
  now: () => number;
  isDraining: () => boolean;
  onRefused: (code: ErrorCode, sourceId: string | null) => void;
}

export function refusal(code: ErrorCode, message: string, details?: ErrorDetail[]): IntakeAnswer {
  return { status: statusFor(code), body: details ? { error: code, message, details } : { error: code, message } };
}

/**
 * `POST /v1/ping` (source key): the publisher's ping with non-contact fields. The engine runs the
 * tree now — eligibility, floors, every tier's buyers pinged at once, no buyer twice — and holds the
 * ranked answers until `expires_at`. The answer promises the source its payout on the best bid.
 * Consent is not known yet: the named-seller check runs again when the lead is posted.
 */
export async function submitPing(deps: InboundPingDeps, apiKey: string | null, body: unknown): Promise<IntakeAnswer> {
  const refuse = (code: ErrorCode, sourceId: string | null, message: string, details?: ErrorDetail[]): IntakeAnswer => {
    deps.onRefused(code, sourceId);
    return refusal(code, message, details);
  };
  if (deps.isDraining()) return { ...refuse('shutting_down', null, 'Pingdesk is shutting down; retry shortly'), headers: { 'retry-after': '5' } };
  const config = deps.config();
  const owner = apiKey ? deps.store.findApiKeyOwner(apiKey) : null;
  const source = owner?.ownerKind === 'source' ? config.sources.get(owner.ownerId) : undefined;
  if (!source || !source.active) return refuse('unauthorized', null, 'A valid source API key is required: Authorization: Bearer <key>');
  const wait = deps.limiter.take(source.id, source.rateLimitPerMinute);
  if (wait > 0) return { ...refuse('rate_limited', source.id, `Source "${source.id}" is over its limit of ${source.rateLimitPerMinute} requests a minute`), headers: { 'retry-after': String(wait) } };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('validation_failed', source.id, 'The body must be a JSON object', [{ field: '(root)', message: 'expected an object' }]);
  const raw = body as { campaign?: unknown; fields?: unknown; test?: unknown };
  const campaign = typeof raw.campaign === 'string' ? config.campaigns.get(raw.campaign) : undefined;
  if (!campaign || !campaign.active) return refuse('validation_failed', source.id, 'The ping names no active campaign', [{ field: 'campaign', message: 'unknown or inactive campaign' }]);
  if (!source.campaigns.has(campaign.id)) return refuse('forbidden', source.id, `Source "${source.id}" may not send leads to campaign "${campaign.id}"`);
  if (typeof raw.fields !== 'object' || raw.fields === null || Array.isArray(raw.fields)) return refuse('validation_failed', source.id, 'The ping has no fields object', [{ field: 'fields', message: 'expected an object' }]);

  const details: ErrorDetail[] = [];
  const pingFields: LeadFields = {};
  for (const [name, value] of Object.entries(raw.fields as Record<string, unknown>)) {
    if (campaign.contactFields.has(name)) details.push({ field: `fields.${name}`, message: 'a contact field may not be sent in a ping' });
    else if (!campaign.pingFields.includes(name)) details.push({ field: `fields.${name}`, message: 'not a ping field of this campaign' });
    else if (!isBlank(value)) {
      const r = normaliseField(campaign.fields[name], value);
      if (r.ok) pingFields[name] = r.value as FieldValue;
      else details.push({ field: `fields.${name}`, message: r.message });
    }
  }
  if (details.length) return refuse('validation_failed', source.id, 'The ping has invalid fields', details);
  const test = raw.test === true;

  const pingId = deps.held.newId();
  const pingedAt = deps.now();
  // No consent yet: the named-seller rule is checked when the lead is posted.
  const tree = { ...campaign, requireNamedSeller: false };
  const pinged = new Set<string>();
  const tiers = await Promise.all(
    campaign.tiers.map(async (tier) => {
      const floor = effectiveFloor(campaign, tier);
      const { eligible } = selectEligible({
        campaign: tree, tier, buyers: config.buyers, lead: { fields: pingFields, consent: { text: '', captured_at: '' } as never }, now: pingedAt, caps: deps.caps,
        isPaused: (id) => config.buyers.get(id)?.spec.paused === true,
        isCircuitOpen: (id) => deps.breaker.isOpen(id),
      });
      const fresh = eligible.filter((b) => !pinged.has(b.id));
      for (const b of fresh) pinged.add(b.id);
      const bids: Bid[] = fresh.filter((b) => !b.spec.ping).map((b) => ({ buyerId: b.id, priceCents: b.fixedPriceCents ?? 0, priority: b.priority, latencyMs: 0 }));
      const toPing = fresh.filter((b) => b.spec.ping);
      const sentAt = deps.now();
      const results = toPing.length === 0 ? [] : await deps.dispatcher.pingAll(
        toPing,
        (buyer) => buildPingRequest(buyer, { pingId: `${pingId}.${buyer.id}`, campaign: campaign.id, vertical: campaign.spec.vertical, fields: pingFields, test }),
        sentAt + campaign.pingTimeoutMs,
      );
      for (const r of results) {
        const buyer = config.buyers.get(r.buyerId);
        if (r.outcome === 'BID' && buyer) bids.push({ buyerId: r.buyerId, priceCents: r.bidCents ?? 0, priority: buyer.priority, latencyMs: r.latencyMs, token: r.token ?? undefined });
      }
      return { index: tier.index, held: { sentAt, results } satisfies HeldTier, ranked: rankBids(bids, floor.floorCents).ranked };
    }),
  );
  const best = tiers.find((t) => t.ranked.length > 0)?.ranked[0];
  const auditBase = { pingId, campaign: campaign.id, source: source.id, test, fields: Object.keys(pingFields).sort(), buyers: [...pinged] };
  if (!best) {
    deps.store.appendAudit({ leadId: null, type: 'inbound_ping', actor: `source:${source.id}`, at: pingedAt, data: { ...auditBase, status: 'no_bid' } });
    await deps.store.flush();
    return { status: 200, body: { status: 'no_bid' } };
  }
  const promisedPayoutCents = computePayout(campaign, best.priceCents).payoutCents;
  const expiresAt = pingedAt + pingTtlMs(campaign);
  deps.held.hold({
    pingId, sourceId: source.id, campaignId: campaign.id, test, pingFields, pingedAt, expiresAt, bestPriceCents: best.priceCents, promisedPayoutCents, state: 'open',
    tiers: new Map(tiers.map((t) => [t.index, t.held])),
  });
  deps.store.appendAudit({ leadId: null, type: 'inbound_ping', actor: `source:${source.id}`, at: pingedAt, data: { ...auditBase, status: 'bid', promised: toDollars(promisedPayoutCents), bestBid: toDollars(best.priceCents), expiresAt } });
  await deps.store.flush();
  const answer: Record<string, unknown> = { ping_id: pingId, status: 'bid', price: toDollars(promisedPayoutCents), expires_at: new Date(expiresAt).toISOString() };
  if (campaign.spec.pingConsentNames) {
    const bidders = new Set(tiers.flatMap((t) => t.ranked.map((b) => b.buyerId)));
    answer.sellers = [...bidders].map((id) => config.buyers.get(id)?.spec.consentName ?? id);
  }
  return { status: 200, body: answer };
}

import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import type { ErrorCode, ErrorDetail } from '../../shared/errors.js';
import { statusFor } from '../../shared/errors.js';
import type { AuctionResult } from '../auction/run-auction.js';
import { contactMask } from '../compliance/mask-contact.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { contactValuesOf, type Store } from '../store/index.js';
import { validateLead } from '../validate/validate-lead.js';
import type { RuntimeCampaign, RuntimeConfig, RuntimeSource } from '../workspace/runtime.js';
import type { InboundPost } from '../auction/held-bids.js';
import type { IdempotentRoute } from '../store/index.js';
import type { IdempotencyGate, IdempotencyTicket } from './idempotency.js';
import { isTicket } from './idempotency.js';
import { leadAnswer } from './lead-answer.js';
import type { SourceRateLimiter } from './rate-limiter.js';
import { flushOrRefuse, NOT_ADMITTED, OUTCOME_NOT_STORED, refuseWhileStorageUnavailable } from './storage-guard.js';

export interface IntakeAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface IntakeDeps {
  store: Store;
  config: () => RuntimeConfig;
  limiter: SourceRateLimiter;
  now: () => number;
  newLeadId: () => string;
  isDraining: () => boolean;
  runAuction: (lead: AcceptedLead) => Promise<AuctionResult>;
  onRefused: (code: ErrorCode, sourceId: string | null) => void;
  idempotency: IdempotencyGate;
  /** Pre-ping screening (engine/screen/): a refusal answer for a rejected lead, or null to auction it. */
  screen?: (lead: AcceptedLead) => Promise<IntakeAnswer | null>;
}

export interface AcceptedLead {
  leadId: string;
  source: RuntimeSource;
  campaign: RuntimeCampaign;
  fields: LeadFields;
  consent: ConsentRecord;
  test: boolean;
  state: string | null;
  /** Set for `POST /v1/post`: the ping's held bids and promise. */
  inbound?: InboundPost;
}

/**
 * How a route other than `/v1/leads` shapes admission (`/v1/post`, see inbound-post.ts): after
 * authentication and the rate limit `open` turns its body into a lead body (or refuses), `check`
 * runs on the validated fields, `answer` words the outcome; `refused` is told when no lead was admitted.
 */
export interface IntakeRoute {
  name: IdempotentRoute;
  open?(source: RuntimeSource, body: unknown): IntakeAnswer | { lead: unknown; inbound: InboundPost };
  check?(campaign: RuntimeCampaign, fields: LeadFields): IntakeAnswer | null;
  answer?(lead: AcceptedLead, result: AuctionResult | null): IntakeAnswer;
  refused?(): void;
}

const LEADS_ROUTE: IntakeRoute = { name: 'leads' };

function refuse(code: ErrorCode, message: string, extra: { details?: ErrorDetail[]; headers?: Record<string, string> } = {}): IntakeAnswer {
  const body: Record<string, unknown> = { error: code, message };
  if (extra.details) body.details = extra.details;
  return { status: statusFor(code), body, headers: extra.headers };
}

/**
 * `POST /v1/leads` after HTTP parsing: authenticate, authorise, rate-limit, validate, refuse
 * suppressed and duplicate leads, then persist the lead and its `received` event — committed
 * before any buyer hears of it — and run the auction. The answer is sent only once the outcome
 * is committed, so an acknowledged lead survives a kill at any moment. With an `Idempotency-Key`,
 * the answer is stored in the same flush and replayed to retries (see IdempotencyGate).
 */
export async function submitLead(deps: IntakeDeps, apiKey: string | null, body: unknown, idempotencyKey?: string, route: IntakeRoute = LEADS_ROUTE): Promise<IntakeAnswer> {
  const held: { ticket?: IdempotencyTicket } = {};
  let admitted = false;
  try {
    const answer = await admitLead(deps, apiKey, body, idempotencyKey, held, route);
    if ('status' in answer) return answer;
    admitted = true;
    const lead = answer;
    const screened = deps.screen ? await deps.screen(lead) : null;
    const result = screened ? null : await deps.runAuction(lead);
    const reply = screened ?? route.answer?.(lead, result) ?? leadAnswer(lead.leadId, result?.status ?? 'unsold', result?.payoutCents ?? null);
    if (held.ticket) deps.idempotency.answered(held.ticket, reply);
    // Never acknowledge an outcome that is not stored: a failed flush is a 503, not a 200 (nor a 500).
    // The outcome and the key's answer stay queued and are stored when storage returns.
    const unstored = await flushOrRefuse(deps.store, OUTCOME_NOT_STORED);
    if (unstored) return unstored;
    return reply;
  } catch (err) {
    if (held.ticket) deps.idempotency.abandon(held.ticket);
    throw err;
  } finally {
    if (!admitted) route.refused?.();
    if (held.ticket) deps.idempotency.release(held.ticket);
  }
}

async function admitLead(deps: IntakeDeps, apiKey: string | null, body: unknown, idempotencyKey: string | undefined, held: { ticket?: IdempotencyTicket }, route: IntakeRoute): Promise<IntakeAnswer | AcceptedLead> {
  if (deps.isDraining()) {
    deps.onRefused('shutting_down', null);
    return refuse('shutting_down', 'Pingdesk is shutting down; retry shortly', { headers: { 'retry-after': '5' } });
  }
  const storage = refuseWhileStorageUnavailable(deps.store);
  if (storage) {
    deps.onRefused('storage_unavailable', null);
    return storage;
  }
  const config = deps.config();
  const owner = apiKey ? deps.store.findApiKeyOwner(apiKey) : null;
  const source = owner?.ownerKind === 'source' ? config.sources.get(owner.ownerId) : undefined;
  if (!source || !source.active) {
    deps.onRefused('unauthorized', owner?.ownerKind === 'source' && source ? source.id : null);
    return refuse('unauthorized', 'A valid source API key is required: Authorization: Bearer <key>');
  }
  if (idempotencyKey !== undefined) {
    // Before the rate limit: a replayed answer costs the source nothing.
    const claim = await deps.idempotency.claim(source.id, route.name, idempotencyKey, body);
    if (!isTicket(claim)) return claim.status < 400 ? { ...claim, headers: { 'idempotent-replayed': 'true' } } : claim;
    held.ticket = claim;
  }
  const wait = deps.limiter.take(source.id, source.rateLimitPerMinute);
  if (wait > 0) {
    deps.onRefused('rate_limited', source.id);
    return refuse('rate_limited', `Source "${source.id}" is over its limit of ${source.rateLimitPerMinute} leads a minute`, { headers: { 'retry-after': String(wait) } });
  }
  let inbound: InboundPost | undefined;
  if (route.open) {
    const opened = route.open(source, body);
    if ('status' in opened) return opened;
    ({ lead: body, inbound } = opened);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    deps.onRefused('validation_failed', source.id);
    return refuse('validation_failed', 'The body must be a JSON object', { details: [{ field: '(root)', message: 'expected an object' }] });
  }
  const campaignId = (body as { campaign?: unknown }).campaign;
  if (typeof campaignId !== 'string' || !campaignId) {
    deps.onRefused('validation_failed', source.id);
    return refuse('validation_failed', 'The lead names no campaign', { details: [{ field: 'campaign', message: 'required' }] });
  }
  const campaign = config.campaigns.get(campaignId);
  if (!campaign || !campaign.active) {
    deps.onRefused('validation_failed', source.id);
    return refuse('validation_failed', `No active campaign "${campaignId}"`, { details: [{ field: 'campaign', message: 'unknown or inactive campaign' }] });
  }
  if (!source.campaigns.has(campaign.id)) {
    deps.onRefused('forbidden', source.id);
    return refuse('forbidden', `Source "${source.id}" may not send leads to campaign "${campaign.id}"`);
  }
  const now = deps.now();
  const checked = validateLead(campaign, body, now);
  if (!checked.ok) {
    deps.onRefused('validation_failed', source.id);
    return refuse('validation_failed', 'The lead has invalid fields', { details: checked.details });
  }
  const { fields, consent, test } = checked.lead;
  const mismatch = route.check?.(campaign, fields);
  if (mismatch) return mismatch;
  const phone = typeof fields.phone === 'string' ? fields.phone : null;
  const email = typeof fields.email === 'string' ? fields.email : null;
  const hashes = { phone: phone ? deps.store.hashContact(phone) : undefined, email: email ? deps.store.hashContact(email) : undefined };

  if (deps.store.isSuppressed({ phoneHash: hashes.phone, emailHash: hashes.email })) {
    deps.store.appendAudit({ leadId: null, type: 'refused', actor: `source:${source.id}`, at: now, data: { code: 'suppressed', campaign: campaign.id } });
    deps.onRefused('suppressed', source.id);
    return refuse('suppressed', 'The phone or email is on the suppression list');
  }
  if (!test && campaign.duplicateWindowMs > 0 && (hashes.phone || hashes.email)) {
    const earlier = deps.store.findDuplicate(campaign.id, hashes, now - campaign.duplicateWindowMs);
    if (earlier) {
      deps.store.appendAudit({ leadId: null, type: 'refused', actor: `source:${source.id}`, at: now, data: { code: 'duplicate', campaign: campaign.id, earlierLeadId: earlier } });
      deps.onRefused('duplicate', source.id);
      return refuse('duplicate', `The same consumer was received for campaign "${campaign.id}" within ${campaign.spec.duplicateWindowDays} days`);
    }
  }

  const leadId = deps.newLeadId();
  const state = typeof fields.state === 'string' ? fields.state : null;
  const zip = typeof fields.zip === 'string' ? fields.zip : null;
  deps.store.insertLead({ id: leadId, campaignId: campaign.id, sourceId: source.id, receivedAt: now, test, status: 'received', fields, consent, phoneHash: hashes.phone ?? null, emailHash: hashes.email ?? null, state, zip, contactFields: [...campaign.contactFields] });
  if (!test) deps.store.insertFingerprints(campaign.id, leadId, now, hashes);
  if (held.ticket) deps.idempotency.admitted(held.ticket, leadId);
  deps.store.appendAudit({
    leadId,
    type: 'received',
    actor: `source:${source.id}`,
    at: now,
    data: { campaign: campaign.id, source: source.id, test, ...leadHashes(deps.store, leadId, phone, email), consent: { capturedAt: consent.captured_at, sellers: maskedSellers(campaign, fields, consent), trustedform: Boolean(consent.trustedform_cert_url), leadid: Boolean(consent.leadid_token), textHash: deps.store.leadHash(leadId, consent.text) }, recordHash: deps.store.sealLeadRecord(leadId, fields, consent, campaign.contactFields) },
  });
  deps.store.appendAudit({ leadId, type: 'validated', actor: 'engine', at: now, data: { fields: Object.keys(fields).sort(), dropped: (checked.lead.dropped ?? []).length } });
  // The lead and its trail are committed before anything goes out.
  const unstored = await flushOrRefuse(deps.store, NOT_ADMITTED);
  if (unstored) {
    deps.store.releaseUnadmittedLead({ leadId, campaignId: campaign.id, hashes: test ? {} : hashes, at: now });
    deps.onRefused('storage_unavailable', source.id);
    return unstored;
  }
  return { leadId, source, campaign, fields, consent, test, state, ...(inbound ? { inbound } : {}) };
}

/** The trail's references to the consumer: keyed by the lead, so erasure (which destroys the key) makes them one way. */
function leadHashes(store: Store, leadId: string, phone: string | null, email: string | null): { phone?: string; email?: string } {
  return { phone: phone ? store.leadHash(leadId, phone) : undefined, email: email ? store.leadHash(leadId, email) : undefined };
}

/** Seller names are a source's free text, and the trail keeps them: masked like any text from outside. */
function maskedSellers(campaign: RuntimeCampaign, fields: LeadFields, consent: ConsentRecord): string[] {
  const mask = contactMask(contactValuesOf(fields, consent, [...campaign.contactFields]));
  return (consent.sellers ?? []).map((name) => maskFreeText(name, mask) ?? '');
}

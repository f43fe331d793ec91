import { randomBytes } from 'node:crypto';
import type { ErrorDetail } from '../../shared/errors.js';
import { PingdeskError, statusFor } from '../../shared/errors.js';
import { emailHint, phoneHint, type Store } from '../store/index.js';
import type { SuppressionEntry } from '../store/records.js';
import { normaliseEmail } from '../validate/normalise-email.js';
import { normalisePhone } from '../validate/normalise-phone.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import type { IntakeAnswer } from './lead-intake.js';

/**
 * The reasons a revocation may carry into the trail. Anything else a party writes is reduced to
 * `other`: the trail is append-only, so no free text from outside (which may name the consumer)
 * is ever stored, masked or not.
 */
export const REVOCATION_REASONS = ['consumer_request', 'stop_reply', 'dnc_request', 'opt_out_link', 'litigation', 'other'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** How far in the future a `captured_at` may be (clock skew between the party and us). */
const FUTURE_SKEW_MS = 5 * 60_000;
const MAX_REASON = 500;

export interface RevocationRequest {
  phone?: unknown;
  email?: unknown;
  captured_at?: unknown;
  reason?: unknown;
}

export interface RevocationReceipt {
  revocationId: string;
  receivedAt: number;
  /** Which kinds were suppressed by this request (already listed ones included). */
  kinds: Array<'phone' | 'email'>;
  /** How many entries were new on the list. */
  added: number;
  reasonCode: RevocationReason;
}

export interface RevocationDeps {
  store: Store;
  now: () => number;
}

/** Reduces a party's reason to a code: an exact code (any case, spaces or dashes) is kept, anything else is `other`. */
export function reasonCodeOf(reason: string | undefined): RevocationReason {
  if (!reason) return 'other';
  const code = reason.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (REVOCATION_REASONS as readonly string[]).includes(code) ? (code as RevocationReason) : 'other';
}

/**
 * Records a consumer's revocation of consent: the phone and/or email go on the suppression list at
 * once (committed before this returns) and the trail gets one `suppression` event with
 * `action: "revocation"`, the salted hashes only, the actor, the received time and the time the
 * party captured the revocation. Every input is checked before anything is written, so a refused
 * request changes nothing.
 */
export async function recordRevocation(deps: RevocationDeps, req: RevocationRequest, actor: string): Promise<RevocationReceipt> {
  const details: ErrorDetail[] = [];
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (!given(req.phone) && !given(req.email)) details.push({ field: 'phone', message: 'phone or email is required' });
  const phone = given(req.phone) ? normalisePhone(req.phone) : null;
  if (given(req.phone) && !phone) details.push({ field: 'phone', message: 'not a valid phone number' });
  const email = given(req.email) ? normaliseEmail(req.email) : null;
  if (given(req.email) && !email) details.push({ field: 'email', message: 'not a valid email address' });
  const receivedAt = deps.now();
  let capturedAt: number | null = null;
  if (given(req.captured_at)) {
    const t = typeof req.captured_at === 'string' ? Date.parse(req.captured_at) : Number.NaN;
    if (!Number.isFinite(t)) details.push({ field: 'captured_at', message: 'an ISO 8601 time, e.g. 2026-11-27T15:04:05Z' });
    else if (t > receivedAt + FUTURE_SKEW_MS) details.push({ field: 'captured_at', message: 'is in the future' });
    else capturedAt = t;
  }
  if (req.reason !== undefined && req.reason !== null && (typeof req.reason !== 'string' || req.reason.length > MAX_REASON)) {
    details.push({ field: 'reason', message: `a string of at most ${MAX_REASON} characters` });
  }
  if (details.length) throw new PingdeskError('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });

  const reasonCode = reasonCodeOf(typeof req.reason === 'string' ? req.reason : undefined);
  const revocationId = `rev_${receivedAt.toString(36)}${randomBytes(4).toString('hex')}`;
  const source = `revocation:${actor}`;
  const entries: SuppressionEntry[] = [];
  const hashes: { phoneHash?: string; emailHash?: string } = {};
  if (phone) {
    hashes.phoneHash = deps.store.hashContact(phone);
    entries.push({ kind: 'phone', hash: hashes.phoneHash, hint: phoneHint(phone), addedAt: receivedAt, source });
  }
  if (email) {
    hashes.emailHash = deps.store.hashContact(email);
    entries.push({ kind: 'email', hash: hashes.emailHash, hint: emailHint(email), addedAt: receivedAt, source });
  }
  // The list is what intake checks: it commits here, with a copy of its audit event, before the party is answered.
  const { value: added } = deps.store.writeAudited(() => {
    const added = deps.store.addSuppressions(entries);
    const data = { action: 'revocation', revocationId, ...hashes, receivedAt, capturedAt, reasonCode, added };
    return { value: added, audit: { leadId: null, type: 'suppression', actor, at: receivedAt, data } };
  });
  await deps.store.flush();
  return { revocationId, receivedAt, kinds: entries.map((e) => e.kind), added, reasonCode };
}

/**
 * `POST /v1/revocations` with a source or a buyer key: `{"phone"?,"email"?,"captured_at"?,"reason"?}`
 * → `202 {"status":"suppressed","revocation_id","received_at","suppressed","reason_code"}`.
 */
export async function submitRevocation(deps: RevocationDeps & { config: () => RuntimeConfig }, apiKey: string | null, body: unknown): Promise<IntakeAnswer> {
  const owner = apiKey ? deps.store.findApiKeyOwner(apiKey) : null;
  const config = deps.config();
  const known = owner && (owner.ownerKind === 'source' ? config.sources.has(owner.ownerId) : config.buyers.has(owner.ownerId));
  if (!owner || !known) {
    return { status: statusFor('unauthorized'), body: { error: 'unauthorized', message: 'A valid source or buyer API key is required: Authorization: Bearer <key>' } };
  }
  const req = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as RevocationRequest;
  try {
    const r = await recordRevocation(deps, req, `${owner.ownerKind}:${owner.ownerId}`);
    return {
      status: 202,
      body: { status: 'suppressed', revocation_id: r.revocationId, received_at: new Date(r.receivedAt).toISOString(), suppressed: r.kinds, reason_code: r.reasonCode },
    };
  } catch (err) {
    if (err instanceof PingdeskError && err.code === 'validation_failed') {
      return { status: statusFor(err.code), body: { error: err.code, message: err.message, details: err.details } };
    }
    throw err;
  }
}

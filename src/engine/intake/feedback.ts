import { statusFor, type ErrorCode } from '../../shared/errors.js';
import type { BuyerSignals } from '../signals/rolling-signals.js';
import type { SourceSignals } from '../signals/source-signals.js';
import { requestReturn } from '../ledger/returns.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { contactValuesOf, type Store } from '../store/index.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import type { IntakeAnswer } from './lead-intake.js';
import { flushOrRefuse, refuseWhileStorageUnavailable } from './storage-guard.js';

const EVENTS = new Set(['converted', 'returned', 'contacted']);

function refuse(code: ErrorCode, message: string, field?: string): IntakeAnswer {
  const body: Record<string, unknown> = { error: code, message };
  if (field) body.details = [{ field, message }];
  return { status: statusFor(code), body };
}

/**
 * `POST /v1/feedback` with a buyer key: a buyer reports what became of a lead it bought. Only the
 * buyer that bought the lead may report on it. Feedback feeds the buyer's conversion and return
 * rates and lands in the lead's trail.
 */
export async function submitFeedback(
  deps: { store: Store; now: () => number; signals: BuyerSignals; sourceSignals?: SourceSignals; config: () => RuntimeConfig },
  apiKey: string | null,
  body: unknown,
): Promise<IntakeAnswer> {
  const storage = refuseWhileStorageUnavailable(deps.store);
  if (storage) return storage;
  const owner = apiKey ? deps.store.findApiKeyOwner(apiKey) : null;
  if (!owner || owner.ownerKind !== 'buyer' || !deps.config().buyers.has(owner.ownerId)) return refuse('unauthorized', 'A valid buyer API key is required: Authorization: Bearer <key>');
  const b = (typeof body === 'object' && body !== null ? body : {}) as { lead_id?: unknown; event?: unknown; reason?: unknown };
  if (typeof b.lead_id !== 'string' || !b.lead_id) return refuse('validation_failed', 'lead_id is required', 'lead_id');
  if (typeof b.event !== 'string' || !EVENTS.has(b.event)) return refuse('validation_failed', 'event is one of converted, returned, contacted', 'event');
  if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 500)) return refuse('validation_failed', 'reason is a string of at most 500 characters', 'reason');
  const lead = deps.store.getLead(b.lead_id);
  if (!lead || lead.buyerId !== owner.ownerId) return refuse('not_found', `No lead "${b.lead_id}" sold to this buyer`);
  const at = deps.now();
  const event = b.event as 'converted' | 'returned' | 'contacted';
  // A buyer's words may name the consumer; the trail cannot be erased, so they are masked first.
  const contact = [...(deps.config().campaigns.get(lead.campaignId)?.contactFields ?? [])];
  const reason = typeof b.reason === 'string' ? maskFreeText(b.reason, contactValuesOf(lead.fields, lead.consent, contact)) : null;
  deps.store.insertFeedback({ leadId: lead.id, buyerId: owner.ownerId, event, reason, at });
  deps.store.appendAudit({ leadId: lead.id, type: 'feedback', actor: `buyer:${owner.ownerId}`, at, data: { event, reason } });
  deps.signals.recordFeedback(owner.ownerId, lead.campaignId, event, at);
  if (event === 'returned' && !lead.test) deps.sourceSignals?.recordReturn(lead.sourceId, lead.campaignId, at);
  const returned = event === 'returned' ? requestReturn(deps, lead, reason, at) : null;
  const unstored = await flushOrRefuse(deps.store, 'Storage is unavailable; the feedback could not be stored yet');
  if (unstored) return unstored;
  if (returned) return { status: 200, body: { lead_id: lead.id, event, recorded: true, ...returned } };
  return { status: 200, body: { lead_id: lead.id, event, recorded: true } };
}

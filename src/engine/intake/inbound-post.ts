import type { LeadFields } from '../../shared/domain.js';
import type { HeldPings } from '../auction/held-bids.js';
import { buildPingFields } from '../tree/ping-fields.js';
import { refusal } from './inbound-ping.js';
import { leadAnswer } from './lead-answer.js';
import { submitLead, type IntakeAnswer, type IntakeDeps, type IntakeRoute } from './lead-intake.js';

/**
 * `POST /v1/post` (source key) `{"ping_id","fields","consent"}`: the lead of an earlier ping. The
 * ping must be this engine's (signed), this source's, unexpired and unused, and its ping fields must
 * be the lead's; then the lead goes through the intake's own admission (validation, suppression,
 * duplicates, `Idempotency-Key`) and is posted to the held bids in rank order, each only while it
 * pays the promise plus the margin. A sold answer's price is exactly the promise. A refused post
 * gives the ping back, so the publisher may correct and post again until it expires.
 */
export function submitPost(deps: IntakeDeps, held: HeldPings, apiKey: string | null, body: unknown, idempotencyKey?: string): Promise<IntakeAnswer> {
  let claimed: { state: 'open' | 'claimed' | 'used' } | null = null;
  const route: IntakeRoute = {
    name: 'post',
    open(source, raw) {
      const b = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as { ping_id?: unknown; fields?: unknown; consent?: unknown };
      if (typeof b.ping_id !== 'string' || !b.ping_id) return refusal('validation_failed', 'The post names no ping', [{ field: 'ping_id', message: 'required' }]);
      const ping = held.get(b.ping_id);
      if (!ping) return refusal('unknown_ping', 'No such ping: ping first with POST /v1/ping');
      if (ping.sourceId !== source.id) return refusal('forbidden', 'This ping belongs to another source');
      if (ping.state !== 'open') return refusal('ping_used', 'This ping was already posted');
      if (deps.now() >= ping.expiresAt) return refusal('ping_expired', `This ping expired at ${new Date(ping.expiresAt).toISOString()}: ping again`);
      ping.state = 'claimed';
      claimed = ping;
      return { lead: { campaign: ping.campaignId, fields: b.fields, consent: b.consent, test: ping.test }, inbound: ping };
    },
    check(campaign, fields) {
      const ping = claimed as unknown as { pingFields: LeadFields } | null;
      if (!ping) return null;
      const posted = buildPingFields(campaign, fields);
      const names = new Set([...Object.keys(posted), ...Object.keys(ping.pingFields)]);
      const differ = [...names].filter((n) => JSON.stringify(posted[n] ?? null) !== JSON.stringify(ping.pingFields[n] ?? null)).sort();
      if (differ.length === 0) return null;
      return refusal('ping_mismatch', 'A ping field differs from the ping', differ.map((n) => ({ field: `fields.${n}`, message: 'differs from the ping' })));
    },
    answer(lead, result) {
      if (claimed) claimed.state = 'used';
      if (result?.status === 'unsold') return { status: 200, body: { lead_id: lead.leadId, status: 'unsold', reason: result.reason ?? 'NO_VALID_BID' } };
      return leadAnswer(lead.leadId, result?.status ?? 'unsold', result?.payoutCents ?? null);
    },
    refused() {
      if (claimed && claimed.state === 'claimed') claimed.state = 'open';
    },
  };
  return submitLead(deps, apiKey, body, idempotencyKey, route);
}

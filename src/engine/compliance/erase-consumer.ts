import { PingdeskError } from '../../shared/errors.js';
import type { ErasureRequest, ErasureResult, Store, SuppressionEntry } from '../store/index.js';
import { normaliseEmail, normalisePhone } from '../store/index.js';
import { purgeExports } from './purge-exports.js';

export type ConsumerRef = { leadId: string } | { phone: string } | { email: string };

export interface ConsumerErasure extends ErasureResult {
  by: ErasureRequest;
  exportsRemoved: number;
}

/** What the suppression list says of a person suppressed on erasure: no digits, no lead id. */
export const ERASED_HINT = 'erased on request';

/**
 * A consumer's erasure request, from the console or `pingdesk erase`: finds every lead of the person
 * (by the lead's or the given phone/email fingerprints, before erasure clears them), deletes exports
 * that hold them, optionally suppresses their phone and email, then erases every lead in the store
 * (see Erasure). The suppression entries are the global salted hashes the intake checks against; a
 * phone hash is guessable by anyone holding the folder (ten digits are few), which is the price of
 * refusing the person's next lead — they asked not to be contacted, and the entry says no more than
 * that some number was suppressed: it names no lead, keeps no digits, and no other table links to it.
 */
export function eraseConsumer(store: Store, ref: ConsumerRef, opts: { actor: string; suppress: boolean; exportsDir: string; now: () => number }): ConsumerErasure {
  const by: ErasureRequest = 'leadId' in ref ? 'lead' : 'phone' in ref ? 'phone' : 'email';
  const start = startOf(store, ref);
  const leads = store.findConsumer(start);
  if (leads.length === 0) throw new PingdeskError('not_found', by === 'lead' ? `No lead "${(ref as { leadId: string }).leadId}"` : `No lead has this ${by}`);

  const exportsRemoved = purgeExports(opts.exportsDir, [...leads.flatMap((l) => l.values), ...leads.map((l) => l.leadId)]);
  const suppress: SuppressionEntry[] = [];
  if (opts.suppress) {
    const addedAt = opts.now();
    const phones = new Set(leads.map((l) => l.phone && normalisePhone(l.phone)).filter((p): p is string => Boolean(p)));
    const emails = new Set(leads.map((l) => l.email && normaliseEmail(l.email)).filter((e): e is string => Boolean(e)));
    if ('phone' in ref && start.phoneHash) phones.add(normalisePhone(ref.phone) as string);
    if ('email' in ref && start.emailHash) emails.add(normaliseEmail(ref.email) as string);
    for (const phone of phones) suppress.push({ kind: 'phone', hash: store.hashContact(phone), hint: ERASED_HINT, addedAt, source: opts.actor });
    for (const email of emails) suppress.push({ kind: 'email', hash: store.hashContact(email), hint: ERASED_HINT, addedAt, source: opts.actor });
  }
  const result = store.eraseLeads(leads.map((l) => l.leadId), { actor: opts.actor, by, suppress, exportsRemoved });
  return { ...result, by, exportsRemoved };
}

function startOf(store: Store, ref: ConsumerRef): { leadId?: string; phoneHash?: string; emailHash?: string } {
  if ('leadId' in ref) return { leadId: ref.leadId };
  if ('phone' in ref) {
    const phone = normalisePhone(ref.phone);
    if (!phone) throw new PingdeskError('validation_failed', 'Not a valid phone number', { details: [{ field: 'phone', message: 'not a valid phone number' }] });
    return { phoneHash: store.hashContact(phone) };
  }
  const email = normaliseEmail(ref.email);
  if (!email) throw new PingdeskError('validation_failed', 'Not a valid email', { details: [{ field: 'email', message: 'not a valid email' }] });
  return { emailHash: store.hashContact(email) };
}

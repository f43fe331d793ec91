import type { Store } from '../store/index.js';
import type { LeadRecord } from '../store/records.js';
import { readContact } from '../validate/contact-kind.js';

/**
 * What the operator typed in Leads → search: a lead id first, else a phone or an email matched by its
 * salted hash (the store keeps no searchable contact text). Anything else finds nothing.
 */
export function searchLeads(store: Store, query: string, limit: number): LeadRecord[] {
  const q = query.trim();
  const byId = store.getLead(q);
  if (byId) return [byId];
  const contact = readContact(q);
  if (!contact.normalised) return [];
  const hash = store.hashContact(contact.normalised);
  return store.findLeads({ emailHash: contact.kind === 'email' ? hash : undefined, phoneHash: contact.kind === 'phone' ? hash : undefined, limit });
}

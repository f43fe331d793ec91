import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { leadKeyedHash } from '../store/lead-keys.js';
import { checkLeadRecord, isLeadRecordHash } from '../store/lead-record-hash.js';

export type BundledRecordCheck =
  | { status: 'intact'; checked: string[] }
  | { status: 'changed'; part: string }
  | { status: 'unchecked'; reason: string };

interface ReceivedData {
  recordHash?: unknown;
  consent?: { textHash?: unknown };
}

/**
 * Compares the lead and consent in a bundle with what the lead's `received` event sealed, keyed with
 * the lead's key (carried in the bundle): the consent text's keyed hash, and the record hash through
 * the store's own check.
 */
export function checkBundledRecord(lead: { fields: LeadFields; consent: ConsentRecord }, received: ReceivedData, leadKey: Buffer | null): BundledRecordCheck {
  if (!leadKey) return { status: 'unchecked', reason: 'the bundle carries no lead key' };
  const checked: string[] = [];
  const textHash = received.consent?.textHash;
  if (typeof textHash === 'string') {
    if (typeof lead.consent?.text !== 'string' || leadKeyedHash(leadKey, lead.consent.text) !== textHash) return { status: 'changed', part: 'consent text' };
    checked.push('consent text');
  }
  if (isLeadRecordHash(received.recordHash)) {
    // Both parts of the record hash are keyed with the lead's key, so the bundle can recompute them.
    const r = checkLeadRecord(lead, received.recordHash, leadKey);
    if (r.status === 'changed') return { status: 'changed', part: r.part === 'kept' ? 'record (its non-contact part)' : 'record (its contact part)' };
    checked.push('record hash');
  }
  if (checked.length === 0) return { status: 'unchecked', reason: 'the received event holds nothing the lead key can recompute' };
  return { status: 'intact', checked };
}

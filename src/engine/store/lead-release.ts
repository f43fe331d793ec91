import type { Statement } from 'better-sqlite3';
import type { AuditChain } from './audit-chain.js';
import type { ContactHashes, FingerprintIndex } from './fingerprint-index.js';
import type { WriteQueue } from './write-queue.js';

/** The audit reason of a lead refused because its admission could not be committed. */
export const STORAGE_UNAVAILABLE_REASON = 'STORAGE_UNAVAILABLE';

export interface UnadmittedLead {
  leadId: string;
  campaignId: string;
  hashes: ContactHashes;
  at: number;
}

/**
 * Queues, behind the lead's own retained writes, what closes it: the lead becomes `interrupted`, an
 * `interrupted` event says why, and its duplicate fingerprints go, so that when the storage returns
 * the lead is not left `received` in limbo and the source's retry is not refused as its duplicate.
 * Nothing here runs before the retained writes commit, and they commit in order.
 */
export function releaseUnadmittedLead(
  deps: { queue: WriteQueue; chain: AuditChain; fingerprints: FingerprintIndex; releaseLead: Statement },
  lead: UnadmittedLead,
): void {
  deps.queue.enqueue({ stmt: deps.releaseLead, params: [lead.leadId] });
  for (const op of deps.fingerprints.removeStatements(lead.campaignId, lead.leadId, lead.hashes)) deps.queue.enqueue(op);
  deps.chain.append({ leadId: lead.leadId, type: 'interrupted', actor: 'engine', at: lead.at, data: { auctionId: null, reason: STORAGE_UNAVAILABLE_REASON } });
}

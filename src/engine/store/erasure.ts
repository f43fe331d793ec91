import type { Database, Statement } from 'better-sqlite3';
import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { AuditChain } from './audit-chain.js';
import type { FingerprintIndex } from './fingerprint-index.js';
import type { WriteQueue } from './write-queue.js';

export interface ErasureResult {
  erasedAt: number;
  /** Contact fields that held a value and were blanked. */
  fields: string[];
}

/** Consent details that identify the consumer rather than the disclosure they agreed to. */
const CONSENT_PERSONAL_KEYS = ['ip', 'user_agent'] as const;

/**
 * Erases a consumer's contact data on request (CPRA). The audit trail holds no raw contact data, so it
 * is left intact and keeps verifying; the lead keeps its commercial facts (price, buyer, times).
 * The lead update, the fingerprint removal and the `erased` event commit in one transaction.
 */
export class Erasure {
  private readonly read: Statement;
  private readonly update: Statement;

  constructor(db: Database, private readonly queue: WriteQueue, private readonly chain: AuditChain, private readonly fingerprints: FingerprintIndex, private readonly now: () => number) {
    this.read = db.prepare('SELECT campaign_id, fields_json, consent_json, phone_hash, email_hash FROM leads WHERE id = ?');
    this.update = db.prepare('UPDATE leads SET fields_json = ?, consent_json = ?, phone_hash = NULL, email_hash = NULL, erased_at = ? WHERE id = ?');
  }

  eraseLead(leadId: string, contactFields: string[], actor: string): ErasureResult {
    // The lead may still sit in the write queue.
    this.queue.flushSync();
    const row = this.read.get(leadId) as
      | { campaign_id: string; fields_json: string; consent_json: string; phone_hash: string | null; email_hash: string | null }
      | undefined;
    if (!row) throw new PingdeskError('not_found', `No lead ${leadId}`);
    const fields = JSON.parse(row.fields_json) as LeadFields;
    const consent = JSON.parse(row.consent_json) as ConsentRecord;
    const erased: string[] = [];
    for (const name of contactFields) {
      if (name in fields && fields[name] !== null) erased.push(name);
      if (name in fields) fields[name] = null;
    }
    for (const key of CONSENT_PERSONAL_KEYS) delete consent[key];
    const erasedAt = this.now();
    this.queue.enqueue({ stmt: this.update, params: [JSON.stringify(fields), JSON.stringify(consent), erasedAt, leadId] });
    for (const op of this.fingerprints.removeStatements(row.campaign_id, leadId, { phone: row.phone_hash, email: row.email_hash })) this.queue.enqueue(op);
    this.chain.append({ leadId, type: 'erased', actor, at: erasedAt, data: { fields: erased } });
    this.queue.flushSync();
    return { erasedAt, fields: erased };
  }
}

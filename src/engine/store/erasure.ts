import type { Database, Statement } from 'better-sqlite3';
import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { AuditChain } from './audit-chain.js';
import { contactValuesOf, scrubLead } from './erase-record.js';
import type { LeadKeys } from './lead-keys.js';
import { priorRecordOf, sealErasedRecord, type PriorRecord } from './lead-record-hash.js';
import type { SuppressionEntry } from './records.js';
import type { SuppressionRepo } from './suppression-repo.js';
import type { WriteQueue } from './write-queue.js';

const CHECKPOINT_WAIT_MS = 250;

/** How the consumer was named in the request; recorded in the receipt, never the value itself. */
export type ErasureRequest = 'lead' | 'phone' | 'email';

export interface ErasedLead {
  leadId: string;
  /** Contact fields that held a value and were blanked. */
  fields: string[];
  /** Consent keys removed (ip, page_url, trustedform_cert_url, …). */
  consent: string[];
}

/** What the receipt adds: the row against its `received` record hash (checked while the key existed) and the seal of the row as erased. */
interface SealedErasure extends ErasedLead {
  priorRecord: PriorRecord;
  resealed: string;
}

export interface ErasureResult {
  erasedAt: number;
  leads: ErasedLead[];
  /** Suppression entries added (new ones only). */
  suppressed: number;
  /** False when a reader kept the WAL from being truncated; the old frames go at the next checkpoint. */
  checkpointed: boolean;
}

export interface ErasureOptions {
  actor: string;
  by: ErasureRequest;
  /** Entries to add to the suppression list in the same erasure (hashes only, no lead id). */
  suppress?: SuppressionEntry[];
  /** Export files deleted because they held the consumer. */
  exportsRemoved?: number;
}

/** A lead with what erasure needs to find its copies elsewhere; the values stay in memory. */
export interface ConsumerLead {
  leadId: string;
  phoneHash: string | null;
  emailHash: string | null;
  /** The consumer's values in this lead (contact fields and consent identifiers). */
  values: string[];
  phone: string | null;
  email: string | null;
}

interface LeadRow {
  id: string;
  fields_json: string;
  consent_json: string;
  phone_hash: string | null;
  email_hash: string | null;
  contact_fields_json: string | null;
  lead_key: Buffer | null;
  erased_at: number | null;
}

/**
 * Erases a consumer for good (CPRA). The audit trail is append-only and holds contact values only as
 * HMACs under the lead's own key, so destroying the key is what erases the trail's side; everything
 * else that held the consumer is blanked or deleted: contact fields and consent identifiers, global
 * fingerprints and search hashes, idempotency rows, buyers' free text. With `secure_delete` on, SQLite
 * zeroes the freed bytes, and the WAL is checkpointed and truncated so no old page survives there.
 * Each lead gets an `erased` event (the receipt: what, how many, who, when — no contact data).
 */
export class Erasure {
  private readonly read: Statement;
  private readonly byPhone: Statement;
  private readonly byEmail: Statement;
  private readonly ops: Statement[];
  private readonly received: Statement;
  private readonly lastErased: Statement;
  private checkpointPending = false;

  constructor(
    private readonly db: Database,
    private readonly queue: WriteQueue,
    private readonly chain: AuditChain,
    private readonly keys: LeadKeys,
    private readonly suppression: SuppressionRepo,
    private readonly salt: string,
    private readonly now: () => number,
  ) {
    // A truncation a reader held up is retried after later commits, without waiting, until it lands.
    queue.addHook({ afterCommit: () => this.retryCheckpoint() });
    const columns = 'id, fields_json, consent_json, phone_hash, email_hash, contact_fields_json, lead_key, erased_at';
    this.read = db.prepare(`SELECT ${columns} FROM leads WHERE id = ?`);
    this.byPhone = db.prepare(`SELECT ${columns} FROM leads WHERE phone_hash = ?`);
    this.byEmail = db.prepare(`SELECT ${columns} FROM leads WHERE email_hash = ?`);
    this.received = db.prepare("SELECT data FROM audit_events WHERE lead_id = ? AND type = 'received' ORDER BY seq LIMIT 1");
    this.lastErased = db.prepare("SELECT data FROM audit_events WHERE lead_id = ? AND type = 'erased' ORDER BY seq DESC LIMIT 1");
    this.ops = [
      db.prepare('UPDATE leads SET fields_json = @fields, consent_json = @consent, phone_hash = NULL, email_hash = NULL, contact_fields_json = NULL, lead_key = NULL, erased_at = @at WHERE id = @id'),
      db.prepare('DELETE FROM fingerprints WHERE lead_id = @id'),
      db.prepare('DELETE FROM idempotency_keys WHERE lead_id = @id'),
      db.prepare('UPDATE pings SET reason = NULL WHERE lead_id = @id AND reason IS NOT NULL'),
      db.prepare('UPDATE posts SET reason = NULL WHERE lead_id = @id AND reason IS NOT NULL'),
      db.prepare('UPDATE feedback SET reason = NULL WHERE lead_id = @id AND reason IS NOT NULL'),
      db.prepare('UPDATE returns SET reason = NULL WHERE lead_id = @id AND reason IS NOT NULL'),
    ];
  }

  /**
   * Every lead of the consumer named by a lead id, a phone hash or an email hash: the leads sharing a
   * phone or email with any of them, followed until no new one appears, so a person who changed one of
   * the two is still found. Read before erasure clears the hashes that make the search possible.
   */
  findConsumer(start: { leadId?: string; phoneHash?: string; emailHash?: string }): ConsumerLead[] {
    this.queue.flushSync();
    const found = new Map<string, ConsumerLead>();
    const phones: string[] = start.phoneHash ? [start.phoneHash] : [];
    const emails: string[] = start.emailHash ? [start.emailHash] : [];
    const seenHashes = new Set<string>();
    const take = (row: LeadRow | undefined): void => {
      if (!row || found.has(row.id)) return;
      const lead = toConsumerLead(row);
      found.set(row.id, lead);
      if (lead.phoneHash) phones.push(lead.phoneHash);
      if (lead.emailHash) emails.push(lead.emailHash);
    };
    if (start.leadId) take(this.read.get(start.leadId) as LeadRow | undefined);
    while (phones.length || emails.length) {
      const phone = phones.pop();
      if (phone && !seenHashes.has(`p:${phone}`)) {
        seenHashes.add(`p:${phone}`);
        for (const row of this.byPhone.all(phone) as LeadRow[]) take(row);
      }
      const email = emails.pop();
      if (email && !seenHashes.has(`e:${email}`)) {
        seenHashes.add(`e:${email}`);
        for (const row of this.byEmail.all(email) as LeadRow[]) take(row);
      }
    }
    return [...found.values()];
  }

  eraseLeads(leadIds: readonly string[], opts: ErasureOptions): ErasureResult {
    // A lead may still sit in the write queue.
    this.queue.flushSync();
    const rows = leadIds.map((id) => {
      const row = this.read.get(id) as LeadRow | undefined;
      if (!row) throw new PingdeskError('not_found', `No lead ${id}`);
      return row;
    });
    // Before the batch below, so the erasure and its receipt commit together.
    const suppressed = opts.suppress?.length ? this.suppressionAdd(opts.suppress) : 0;
    const erasedAt = this.now();
    const leads: SealedErasure[] = [];
    for (const row of rows) {
      const fields = JSON.parse(row.fields_json) as LeadFields;
      const consent = JSON.parse(row.consent_json) as ConsentRecord;
      // Checked while the key still exists; the receipt says what was erased: the record as received, or not.
      const priorRecord = priorRecordOf(this.salt, { fields, consent, erased: row.erased_at !== null }, this.eventData(this.received, row.id).recordHash, row.lead_key, this.eventData(this.lastErased, row.id));
      const scrubbed = scrubLead(fields, consent, parseList(row.contact_fields_json));
      const params = { id: row.id, fields: JSON.stringify(scrubbed.fields), consent: JSON.stringify(scrubbed.consent), at: erasedAt };
      // Critical: a write of an erasure that failed must fail the erasure, never be skipped in silence.
      for (const stmt of this.ops) this.queue.enqueue({ stmt, params: [stmt === this.ops[0] ? params : { id: row.id }], critical: true });
      this.keys.forget(row.id);
      leads.push({ leadId: row.id, fields: scrubbed.erasedFields, consent: scrubbed.erasedConsent, priorRecord, resealed: sealErasedRecord(this.salt, scrubbed.fields, scrubbed.consent) });
    }
    for (const lead of leads) {
      this.chain.append({
        leadId: lead.leadId,
        type: 'erased',
        actor: opts.actor,
        at: erasedAt,
        data: { fields: lead.fields, consent: lead.consent, priorRecord: lead.priorRecord, resealed: lead.resealed, keyDestroyed: true, by: opts.by, leads: leads.length, suppressed: suppressed > 0, exportsRemoved: opts.exportsRemoved ?? 0 },
      });
    }
    this.queue.flushSync();
    return { erasedAt, leads: leads.map(({ leadId, fields, consent }) => ({ leadId, fields, consent })), suppressed, checkpointed: this.checkpoint() };
  }

  private eventData(stmt: Statement, leadId: string): Record<string, unknown> {
    const row = stmt.get(leadId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Record<string, unknown>) : {};
  }

  private suppressionAdd(entries: SuppressionEntry[]): number {
    this.queue.flushSync();
    return this.suppression.addSuppressions(entries);
  }

  /**
   * Moves every committed page into the database file (where secure_delete zeroed the old bytes) and
   * empties the WAL. A reader pinning an older snapshot (an export in progress) makes it wait; the
   * wait is kept short because it blocks the engine, and the WAL is emptied at the latest when the
   * store closes.
   */
  private checkpoint(waitMs = CHECKPOINT_WAIT_MS): boolean {
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${waitMs}`);
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      this.checkpointPending = result?.busy !== 0;
      return !this.checkpointPending;
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  private retryCheckpoint(): void {
    if (this.checkpointPending && !this.db.inTransaction) this.checkpoint(0);
  }
}

function parseList(json: string | null): string[] | null {
  return json ? (JSON.parse(json) as string[]) : null;
}

function toConsumerLead(row: LeadRow): ConsumerLead {
  const fields = JSON.parse(row.fields_json) as LeadFields;
  const consent = JSON.parse(row.consent_json) as ConsentRecord;
  return {
    leadId: row.id,
    phoneHash: row.phone_hash,
    emailHash: row.email_hash,
    values: contactValuesOf(fields, consent, parseList(row.contact_fields_json)),
    phone: typeof fields.phone === 'string' ? fields.phone : null,
    email: typeof fields.email === 'string' ? fields.email : null,
  };
}

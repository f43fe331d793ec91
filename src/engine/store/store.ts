import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BuyerSpec, CampaignSpec, ConsentRecord, LeadFields, SourceSpec, Workspace } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { ApiKeyInfo, KeyOwnerKind } from './api-key-repo.js';
import { ApiKeyRepo } from './api-key-repo.js';
import { AuditChain, type ChainHead } from './audit-chain.js';
import { AuditCheckpointer, openSigningKey, type CheckpointSchedule } from './audit-checkpointer.js';
import { CheckpointRepo, type AuditCheckpoint } from './audit-checkpoints.js';
import type { AuditVerifyResult, VerifyProgress } from './audit-verify.js';
import { verifyAudit, verifyAuditAsync } from './audit-verify.js';
import { ConfigRepo, type WorkspaceEntities } from './config-repo.js';
import { hashContact } from './contact-hash.js';
import { Erasure, type ConsumerLead, type ErasureOptions, type ErasureResult } from './erasure.js';
import { exportCsv, type ExportKind, type ExportOptions } from './export-csv.js';
import { FeedbackRepo, type FeedbackStats } from './feedback-repo.js';
import { FingerprintIndex, type ContactHashes } from './fingerprint-index.js';
import { HotPathRepo, type LeadUpdate } from './hot-path-repo.js';
import { LeadKeys } from './lead-keys.js';
import { IdempotencyRepo, type IdempotencyRecord, type IdempotentRoute, type StoredAnswer } from './idempotency-repo.js';
import { hashLeadRecord, type LeadRecordHash } from './lead-record-hash.js';
import { connectionPragmas, databasePath, openDatabase, type Durability } from './open-database.js';
import type { AuctionDetail, AuctionPage, FindLeadsQuery, ListAuctionsQuery, ListAuditQuery } from './query-repo.js';
import { QueryRepo } from './query-repo.js';
import type {
  AuctionRecord, AuctionUpdate, AuditEvent, AuditInput, CapUsageRecord, FeedbackRecord, FinishedAuctionRow, LeadRecord, PingRecord, PostRecord, SuppressionEntry,
} from './records.js';
import { Recovery, type InterruptedLead } from './recovery.js';
import { AuditOutbox } from './audit-outbox.js';
import { runSteps, type PageReader, type ReadSteps } from './read-steps.js';
import { ReadThread, ReadThreadStopped } from './read-thread.js';
import type { BuyerStats, Overview, RangeQuery, SourceStats, TimeseriesPoint } from './report-repo.js';
import { ReportRepo } from './report-repo.js';
import { AbTestRepo } from './ab-test-repo.js';
import { FileSigningKeyStore, signingKeyFile, type SigningKeyStore } from './signing-key.js';
import { importSuppressionCsv, importSuppressionText, type SuppressionImportOptions, type SuppressionImportResult } from './suppression-csv.js';
import { SuppressionRepo, type SuppressionPage, type SuppressionQuery } from './suppression-repo.js';
import { LedgerRepo } from './ledger-repo.js';
import { SignalHistoryRepo } from './signal-history-repo.js';
import { PlacementRepo } from './placement-repo.js';
import { ChangeRepo } from './change-repo.js';
import { CampaignBuyerStats } from './campaign-buyer-stats.js';
import { MarketRepo } from './market-repo.js';
import { RecordedAuctionRepo } from './recorded-auction-repo.js';
import { RefusalRepo, type RefusalCount } from './refusal-repo.js';
import { ScreeningRepo, type ScreeningRecord } from './screening-repo.js';
import { releaseUnadmittedLead, type UnadmittedLead } from './lead-release.js';
import { guardStorage, isStorageFault, rethrowStorageFault } from './storage-fault.js';
import { verifyTrail, type TrailVerifyOptions, type TrailVerifyResult } from './trail-verify.js';
import { EvidenceRepo } from './evidence-repo.js';
import { WriteQueue, type StorageState, type StoreLog } from './write-queue.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface StoreOptions {
  dataDir: string;
  readonly?: boolean;
  durability?: Durability;
  now?: () => number;
  newId?: () => string;
  log?: StoreLog;
  /** Queued writes that trigger an immediate commit (default 1000). */
  maxBatchOps?: number;
  /** How often writes retained through a storage fault are retried (default 1000 ms). */
  probeIntervalMs?: number;
  /** An archive file to read instead of the data folder's database (with `readonly`). */
  databaseFile?: string;
  /**
   * Commit queued writes in a worker thread with its own connection (default true for a writable
   * store): the event loop only queues. False commits them on the event loop, as before.
   */
  writerThread?: boolean;
  /**
   * Run the report queries' reads (`overviewAsync` and the like) in a worker thread with its own
   * connection (default true), so a report over months of traffic does not stall the event loop.
   */
  readThread?: boolean;
}

/** Finished real auctions since an instant, oldest first, as Live's figures count them (along `auctions_started`). */
const FINISHED_SINCE_SQL = `SELECT started_at AS startedAt, status, price_cents AS priceCents, payout_cents AS payoutCents, margin_cents AS marginCents,
  latency_ms AS latencyMs FROM auctions WHERE started_at >= ? AND ended_at IS NOT NULL AND test = 0 ORDER BY started_at`;
const CAP_USAGE_SQL = 'SELECT buyer_id AS buyerId, "window", window_start AS windowStart, count, spend_cents AS spendCents FROM cap_usage WHERE window_start >= ?';

/**
 * Everything the engine keeps on disk, behind one object. Hot-path writes are synchronous calls that
 * queue (see WriteQueue; `flush()` makes them durable); configuration writes commit at once; queries
 * read committed data. The only module that knows SQLite.
 */
export class Store {
  readonly salt: string;
  readonly dataDir: string;
  readonly readonly: boolean;
  private readonly queue: WriteQueue;
  private readonly chain: AuditChain;
  private readonly keys: ApiKeyRepo;
  private readonly config: ConfigRepo;
  private readonly hot: HotPathRepo;
  private readonly fingerprints: FingerprintIndex;
  private readonly suppression: SuppressionRepo;
  private readonly queries: QueryRepo;
  private readonly reports: ReportRepo;
  private readonly feedback: FeedbackRepo;
  private readonly recovery: Recovery;
  private readonly outbox: AuditOutbox | null;
  private readonly idempotency: IdempotencyRepo;
  private readonly erasure: Erasure;
  private readonly leadKeys: LeadKeys;
  private readonly capUsage: Database.Statement;
  private readonly finishedSince: Database.Statement;
  private readonly firstAuction: Database.Statement;
  private readonly releaseLead: Database.Statement;
  private readonly checkpoints: CheckpointRepo;
  private readonly screenings: ScreeningRepo;
  private ledgerRepo: LedgerRepo | undefined;
  private signalHistoryRepo: SignalHistoryRepo | undefined;
  private placementRepo: PlacementRepo | undefined;
  private changeRepo: ChangeRepo | undefined;
  private campaignBuyers: CampaignBuyerStats | undefined;
  private abTestRepo: AbTestRepo | undefined;
  private marketRepo: MarketRepo | undefined;
  private recordedAuctionRepo: RecordedAuctionRepo | undefined;
  private readonly refusals: RefusalRepo;
  private readonly now: () => number;
  private readonly log: StoreLog;
  private checkpointer: AuditCheckpointer | null = null;
  private walCheckpointer: WalCheckpointer | null = null;
  private evidenceRepo: EvidenceRepo | null = null;
  private closed = false;
  /** The report queries' thread: started at the first asynchronous report, null when not wanted or stopped. */
  private readThread: ReadThread | null | undefined;

  private constructor(private readonly db: Database.Database, opts: StoreOptions) {
    const now = opts.now ?? Date.now;
    this.now = now;
    const log: StoreLog = opts.log ?? (() => undefined);
    this.log = log;
    this.dataDir = opts.dataDir;
    this.readonly = opts.readonly === true;
    this.salt = (db.prepare("SELECT value FROM meta WHERE key = 'contact_salt'").get() as { value: string }).value;
    const writerThread = !this.readonly && opts.writerThread !== false ? { file: databasePath(opts.dataDir), pragmas: connectionPragmas(opts.durability) } : undefined;
    // Should the writer thread stop, the checkpointer's worker folds the rollups in from then on.
    const onWriterStopped = () => this.walCheckpointer?.foldRollups();
    this.queue = new WriteQueue(db, { log, maxOps: opts.maxBatchOps, readonly: this.readonly, probeIntervalMs: opts.probeIntervalMs, now, writerThread, onWriterStopped });
    this.chain = new AuditChain(db, this.queue, now);
    this.keys = new ApiKeyRepo(db, now, opts.newId ?? randomUUID);
    this.config = new ConfigRepo(db, this.keys, now);
    this.hot = new HotPathRepo(db, this.queue);
    this.fingerprints = new FingerprintIndex(db, this.queue);
    this.suppression = new SuppressionRepo(db, this.salt);
    this.queries = new QueryRepo(db);
    this.reports = new ReportRepo(db);
    this.feedback = new FeedbackRepo(db);
    this.idempotency = new IdempotencyRepo(db, this.queue);
    this.recovery = new Recovery(db, this.queue, this.chain, this.fingerprints, this.idempotency);
    this.outbox = this.readonly ? null : new AuditOutbox(db, this.chain, this.queue);
    this.leadKeys = new LeadKeys(db, this.queue);
    this.erasure = new Erasure(db, this.queue, this.chain, this.leadKeys, this.suppression, this.salt, now);
    this.capUsage = db.prepare(CAP_USAGE_SQL);
    this.finishedSince = db.prepare(FINISHED_SINCE_SQL);
    this.firstAuction = db.prepare('SELECT MIN(started_at) AS at FROM auctions');
    this.releaseLead = db.prepare("UPDATE leads SET status = 'interrupted' WHERE id = ? AND status = 'received'");
    this.checkpoints = new CheckpointRepo(db);
    this.screenings = new ScreeningRepo(db, this.queue, this.readonly);
    this.refusals = new RefusalRepo(db, this.queue, this.readonly);
    if (opts.readThread === false) this.readThread = null;
  }

  static open(opts: StoreOptions): Store {
    const db = openDatabase(opts);
    try {
      return new Store(db, opts);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** The file this store reads: in the data folder, or its temporary copy when opened from read-only media. */
  get file(): string {
    return this.readonly ? this.db.name : databasePath(this.dataDir);
  }

  /** Commits pending writes, signs the head they end at (when checkpoints run), then closes. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.queue.close();
    } finally {
      this.checkpointer?.stopNow();
      this.walCheckpointer?.stop();
      // Its connection closes first: the store's own close is the last one and leaves no WAL behind.
      this.readThread?.close();
      this.db.close();
    }
  }

  /** A folder-level setting kept in the database (e.g. the demo mark), so it travels with copies and archives. */
  readMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  writeMeta(key: string, value: string | null): void {
    this.writable();
    if (value === null) this.db.prepare('DELETE FROM meta WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /**
   * The global salted fingerprint: for the duplicate check, search and suppression only, in tables
   * erasure clears. Never for the audit trail, which uses `leadHash`.
   */
  hashContact(value: string): string {
    return hashContact(this.salt, value);
  }

  /** A value of one lead as the audit trail may refer to it: HMAC under the lead's key, which erasure destroys. */
  leadHash(leadId: string, value: string): string {
    return this.leadKeys.hash(leadId, value);
  }

  // Configuration: each call is its own transaction.
  loadWorkspaceEntities(): WorkspaceEntities { return this.config.load(); }
  saveCampaign(spec: CampaignSpec): void { this.writable(); guardStorage(() => this.config.saveCampaign(spec)); }
  deleteCampaign(id: string): boolean { this.writable(); return guardStorage(() => this.config.deleteCampaign(id)); }
  saveSource(spec: SourceSpec): void { this.writable(); guardStorage(() => this.config.saveSource(spec)); }
  deleteSource(id: string): boolean { this.writable(); return guardStorage(() => this.config.deleteSource(id)); }
  saveBuyer(spec: BuyerSpec): void { this.writable(); guardStorage(() => this.config.saveBuyer(spec)); }
  deleteBuyer(id: string): boolean { this.writable(); return guardStorage(() => this.config.deleteBuyer(id)); }
  replaceWorkspace(ws: Workspace): void { this.writable(); guardStorage(() => this.config.replaceWorkspace(ws)); }

  // API keys.
  addApiKey(ownerKind: KeyOwnerKind, ownerId: string, plainKey: string): { id: string; prefix: string } {
    this.writable();
    return guardStorage(() => this.keys.add(ownerKind, ownerId, plainKey));
  }
  addApiKeyHash(ownerKind: KeyOwnerKind, ownerId: string, hash: string): { id: string } {
    this.writable();
    return guardStorage(() => this.keys.addHash(ownerKind, ownerId, hash));
  }
  revokeApiKey(id: string): boolean { this.writable(); return guardStorage(() => this.keys.revoke(id)); }
  listApiKeys(ownerKind?: KeyOwnerKind, ownerId?: string): ApiKeyInfo[] { return this.keys.list(ownerKind, ownerId); }
  findApiKeyOwner(plainKey: string): { ownerKind: KeyOwnerKind; ownerId: string } | null { return this.keys.findOwner(plainKey); }
  apiKeyHashesFor(ownerKind: KeyOwnerKind, ownerId: string): string[] { return this.keys.hashesFor(ownerKind, ownerId); }

  // Hot path: synchronous, queued, durable after flush().
  insertLead(r: LeadRecord): void { this.hot.insertLead(r, this.leadKeys.create(r.id)); }
  updateLead(id: string, patch: LeadUpdate): void { this.hot.updateLead(id, patch); }
  insertFingerprints(campaignId: string, leadId: string, at: number, hashes: ContactHashes): void {
    this.fingerprints.insertFingerprints(campaignId, leadId, at, hashes);
  }
  insertAuction(r: AuctionRecord): void { this.hot.insertAuction(r); }
  updateAuction(id: string, patch: AuctionUpdate): void { this.hot.updateAuction(id, patch); }
  insertPing(r: PingRecord): void { this.hot.insertPing(r); }
  insertPost(r: PostRecord): void { this.hot.insertPost(r); }
  insertFeedback(r: FeedbackRecord): void { this.hot.insertFeedback(r); }
  upsertCapUsage(r: CapUsageRecord): void { this.hot.upsertCapUsage(r); }
  appendAudit(input: AuditInput): AuditEvent { return this.chain.append(input); }
  /**
   * A direct change and its audit event as one (see audit-outbox.ts): `change` writes on the store's
   * connection and says what to audit (null: nothing changed, nothing to audit); both commit
   * together, or neither does (a storage fault becomes `storage_unavailable`). The event itself is
   * queued like any other.
   */
  writeAudited<T>(change: () => { value: T; audit: AuditInput | null }): { value: T; event: AuditEvent | null } {
    const outbox = this.writableOutbox();
    return guardStorage(() => outbox.write(change));
  }
  /** A lead's pre-ping screening results (codes and numbers only), queued like any hot-path write. */
  insertScreenings(leadId: string, records: readonly ScreeningRecord[]): void { this.screenings.insertAll(leadId, records); }
  /** Counts one lead refused at intake for a known source (no contact data kept), queued like any hot-path write. */
  countRefusal(sourceId: string, reason: string, at: number): void { this.refusals.count(sourceId, reason, at); }
  /** Intake refusals per source and reason for the hours starting in [from, to). */
  refusalCounts(from: number, to: number): RefusalCount[] { return this.refusals.inRange(from, to); }
  flush(): Promise<void> { return this.queue.flush(); }
  /** Where queued writes commit: 'writer thread' (the default) or 'main thread'. */
  writeCommitter(): WriteQueue['committer'] { return this.queue.committer; }
  /**
   * Runs a pragma on the connection that commits queued writes (the writer thread's, when it runs),
   * synchronously. For tests that cause storage faults for real (`max_page_count`) and for settings.
   */
  writerPragma(sql: string): unknown { return this.queue.writerPragma(sql); }
  /** For tests: the writer thread, to end it as a crash would (null when writes commit in-thread). */
  writerThreadForTest(): ReturnType<WriteQueue['writerThreadForTest']> { return this.queue.writerThreadForTest(); }
  /** Batches, ops and failures so far, for health and metrics. */
  writeStats(): Readonly<WriteQueue['stats']> & { pending: number } { return { ...this.queue.stats, pending: this.queue.pending }; }
  /** Whether writes can commit; while not, they are retained and retried (see WriteQueue). */
  storageState(): StorageState { return this.queue.state(); }
  onStorageStateChange(listener: (state: StorageState) => void): () => void { return this.queue.onStateChange(listener); }
  /**
   * A lead whose admission could not be committed was refused (503); its queued writes will still
   * commit when the storage returns. Queued behind them: the lead is closed `interrupted`
   * (STORAGE_UNAVAILABLE) and its duplicate fingerprints removed, so the source's retry is auctioned.
   */
  releaseUnadmittedLead(lead: UnadmittedLead): void {
    releaseUnadmittedLead({ queue: this.queue, chain: this.chain, fingerprints: this.fingerprints, releaseLead: this.releaseLead }, lead);
  }

  findDuplicate(campaignId: string, hashes: ContactHashes, sinceMs: number): string | null {
    return this.fingerprints.findDuplicate(campaignId, hashes, sinceMs);
  }
  /** Housekeeping: skipped (0) while the storage is unavailable, never a crash of the timer that runs it. */
  pruneFingerprints(beforeMs: number): number {
    if (!this.queue.available) return 0;
    this.writable();
    try {
      return this.fingerprints.pruneBefore(beforeMs);
    } catch (err) {
      if (!isStorageFault(err)) throw err;
      this.log('warn', 'fingerprint pruning skipped: storage unavailable', { err: String(err) });
      return 0;
    }
  }

  /**
   * Housekeeping of a running engine: duplicate fingerprints and idempotency keys older than the
   * given times, deleted in the WAL checkpointer's worker a page per short transaction (see
   * prune-expired.ts), so the event loop neither scans the fingerprints nor holds the write lock.
   * Here, in one statement each, when that worker does not run. Skipped while the storage is unavailable.
   */
  async pruneExpired(before: { fingerprintsBefore: number; keysBefore: number }): Promise<{ fingerprints: number; keys: number }> {
    if (!this.queue.available) return { fingerprints: 0, keys: 0 };
    this.writable();
    if (this.walCheckpointer?.running) {
      const r = await this.walCheckpointer.prune(before);
      if (r.error) this.log('warn', 'pruning stopped early; the next run goes on', { err: r.error, fingerprints: r.fingerprints, keys: r.keys });
      return { fingerprints: r.fingerprints, keys: r.keys };
    }
    return { fingerprints: this.pruneFingerprints(before.fingerprintsBefore), keys: this.pruneIdempotencyKeys(before.keysBefore) };
  }

  // Idempotency keys: the key row is queued with the lead it admits, the answer before the source hears it.
  findIdempotencyKey(sourceId: string, key: string, sinceMs: number): IdempotencyRecord | null { return this.idempotency.find(sourceId, key, sinceMs); }
  insertIdempotencyKey(r: { sourceId: string; key: string; route: IdempotentRoute; bodyHash: string; leadId: string | null; createdAt: number }): void {
    this.idempotency.insert(r);
  }
  answerIdempotencyKey(sourceId: string, key: string, answer: StoredAnswer, at: number): void { this.idempotency.answer(sourceId, key, answer, at); }
  removeIdempotencyKey(sourceId: string, key: string): void { this.idempotency.remove(sourceId, key); }
  pruneIdempotencyKeys(beforeMs: number): number { this.writable(); return this.idempotency.pruneBefore(beforeMs); }
  /** Queues the removal of a lead's duplicate fingerprints: the same consumer may be sent again (a released lead). */
  releaseLeadFingerprints(campaignId: string, leadId: string, hashes: ContactHashes): void {
    // Queued like any hot-path write, so it may wait behind writes a storage fault retained.
    if (this.readonly) throw new PingdeskError('read_only', 'The store is open read-only');
    for (const op of this.fingerprints.removeStatements(campaignId, leadId, hashes)) this.queue.enqueue(op);
  }

  // Suppression.
  isSuppressed(hashes: { phoneHash?: string | null; emailHash?: string | null }): boolean { return this.suppression.isSuppressed(hashes); }
  addSuppressions(entries: SuppressionEntry[]): number { this.writable(); return guardStorage(() => this.suppression.addSuppressions(entries)); }
  removeSuppression(kind: 'phone' | 'email', hash: string): boolean { this.writable(); return guardStorage(() => this.suppression.removeSuppression(kind, hash)); }
  listSuppressions(q: SuppressionQuery): SuppressionPage { return this.suppression.listSuppressions(q); }
  importSuppressionCsv(filePath: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
    this.writable();
    return importSuppressionCsv(this.suppression, this.salt, filePath, opts).catch(rethrowStorageFault);
  }
  importSuppressionText(csv: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
    this.writable();
    return importSuppressionText(this.suppression, this.salt, csv, opts).catch(rethrowStorageFault);
  }

  loadCapUsage(sinceMs: number): CapUsageRecord[] { return this.capUsage.all(sinceMs) as CapUsageRecord[]; }
  /** Finished real auctions started since the instant, oldest first (Live's figures rebuilt at start). */
  finishedAuctionsSince(sinceMs: number): FinishedAuctionRow[] {
    return (this.finishedSince.all(sinceMs) as Array<Omit<FinishedAuctionRow, 'test'>>).map((r) => ({ ...r, test: false }));
  }
  /** When the oldest auction of the folder started; null for a folder with none. */
  firstAuctionAt(): number | null { return (this.firstAuction.get() as { at: number | null }).at; }

  // Recovery and erasure commit before they return.
  /** Appends the audit events of direct changes an earlier stop cut off (see audit-outbox.ts); returns how many. */
  recoverAuditOutbox(): number {
    const appended = this.writableOutbox().recover();
    this.queue.flushSync();
    return appended;
  }
  closeInterruptedAuctions(now: number): InterruptedLead[] { this.writable(); return this.recovery.closeInterruptedAuctions(now); }
  /** Every lead of the consumer named by a lead id or a global phone/email hash (see Erasure.findConsumer). */
  findConsumer(start: { leadId?: string; phoneHash?: string; emailHash?: string }): ConsumerLead[] { this.writable(); return this.erasure.findConsumer(start); }
  eraseLeads(leadIds: readonly string[], opts: ErasureOptions): ErasureResult {
    this.writable();
    return this.erasure.eraseLeads(leadIds, opts);
  }

  // Queries over committed data.
  getLead(id: string): LeadRecord | null { return this.queries.getLead(id); }
  findLeads(q: FindLeadsQuery): LeadRecord[] { return this.queries.findLeads(q); }
  auctionsForLead(leadId: string): AuctionRecord[] { return this.queries.auctionsForLead(leadId); }
  auditForLead(leadId: string): AuditEvent[] { return this.queries.auditForLead(leadId); }
  screeningsForLead(leadId: string): ScreeningRecord[] { return this.screenings.forLead(leadId); }
  listAudit(q: ListAuditQuery): AuditEvent[] { return this.queries.listAudit(q); }
  listAuctions(q: ListAuctionsQuery): AuctionPage { return this.queries.listAuctions(q); }
  getAuction(id: string): AuctionDetail | null { return this.queries.getAuction(id); }
  overview(q: RangeQuery & { includeTest?: boolean }): Overview { return this.reports.overview(q); }
  buyerStats(q: RangeQuery): BuyerStats[] { return this.reports.buyerStats(q); }
  /** The same figures over one campaign's auctions only (the Ping tree's cards). */
  campaignBuyerStats(q: RangeQuery & { campaignId: string }): BuyerStats[] { return (this.campaignBuyers ??= new CampaignBuyerStats(this.db)).of(q); }
  sourceStats(q: RangeQuery & { includeTest?: boolean }): SourceStats[] { return this.reports.sourceStats(q); }
  timeseries(q: RangeQuery & { bucketMs: number; includeTest?: boolean }): TimeseriesPoint[] { return this.reports.timeseries(q); }
  // The same reports with their reads in the read thread (see read-thread.ts), for a running engine.
  overviewAsync(q: RangeQuery & { includeTest?: boolean }): Promise<Overview> { return this.readOffLoop(() => this.reports.overviewSteps(q)); }
  buyerStatsAsync(q: RangeQuery): Promise<BuyerStats[]> { return this.readOffLoop(() => this.reports.buyerStatsSteps(q)); }
  sourceStatsAsync(q: RangeQuery & { includeTest?: boolean }): Promise<SourceStats[]> { return this.readOffLoop(() => this.reports.sourceStatsSteps(q)); }
  timeseriesAsync(q: RangeQuery & { bucketMs: number; includeTest?: boolean }): Promise<TimeseriesPoint[]> { return this.readOffLoop(() => this.reports.timeseriesSteps(q)); }
  campaignBuyerStatsAsync(q: RangeQuery & { campaignId: string }): Promise<BuyerStats[]> {
    const stats = (this.campaignBuyers ??= new CampaignBuyerStats(this.db));
    return this.readOffLoop(() => stats.steps(q));
  }
  /** Reports the read thread answered; null when reports run on the store's own connection. */
  readThreadStats(): ReadThread['stats'] | null { return this.readThread?.alive ? this.readThread.stats : null; }
  /** For tests: the read thread, to end it as a crash would (null before the first asynchronous report). */
  readThreadForTest(): ReadThread | null { return this.readThread ?? null; }
  recentFeedback(buyerId: string | undefined, sinceMs: number, limit?: number): FeedbackRecord[] { return this.feedback.recentFeedback(buyerId, sinceMs, limit); }
  feedbackStats(buyerId: string | undefined, sinceMs: number): FeedbackStats[] { return this.feedback.feedbackStats(buyerId, sinceMs); }

  /** Verifies the whole trail, blocking; for the CLI. */
  verifyAudit(onProgress?: VerifyProgress): AuditVerifyResult { return verifyAudit(this.db, onProgress); }
  /** Verifies in pages, yielding to the event loop between them; for a running engine (which reads the pages in its read thread). */
  verifyAuditAsync(onProgress?: VerifyProgress): Promise<AuditVerifyResult> { return verifyAuditAsync(this.db, { onProgress, read: this.pageReader() }); }

  /** Chain, signed checkpoints and lead records against their `received` events; reads only. */
  verifyTrailAsync(opts: TrailVerifyOptions = {}): Promise<TrailVerifyResult> {
    // A running engine knows its newest checkpoint: deleting it from the database is caught too.
    const witness = opts.witness ?? this.checkpointer?.latest ?? undefined;
    return verifyTrail(this.db, { checkpoints: this.checkpoints, salt: this.salt }, { read: this.pageReader(), ...opts, witness });
  }

  /**
   * A writable store (a running engine) reads a verify's pages (the chain's, the leads') in its read
   * thread, so only the checking holds the event loop; a read-only store (the CLI, a reviewer's copy)
   * reads them itself.
   */
  private pageReader(): PageReader | undefined {
    return this.readonly ? undefined : (steps) => this.readOffLoop(steps);
  }

  // Signed checkpoints of the audit chain (see audit-checkpointer.ts).
  databaseId(): string { return this.checkpoints.databaseId(); }
  auditPublicKeyPem(): string | null { return this.checkpoints.publicKeyPem(); }
  latestAuditCheckpoint(): AuditCheckpoint | null { return this.checkpoints.latestCheckpoint(); }
  committedAuditHead(): ChainHead | null { return this.checkpoints.committedHead(); }
  auditCheckpointCovering(seq: number): AuditCheckpoint | null { return this.checkpoints.covering(seq); }
  /** Reads for per-lead evidence bundles (engine/evidence); works on a read-only store. */
  /** The money ledger and the return requests (see ledger-repo.ts). */
  ledgerBook(): LedgerRepo { return (this.ledgerRepo ??= new LedgerRepo(this.db, this.queue, this.readonly)); }
  /** The recorded traffic the rolling signals are rebuilt from at start. */
  signalHistory(): SignalHistoryRepo { return (this.signalHistoryRepo ??= new SignalHistoryRepo(this.db)); }
  /** Tier placement moves, for the policy's cool-down and the console. */
  placementMoves(): PlacementRepo { return (this.placementRepo ??= new PlacementRepo(this.db)); }
  /** Configuration changes and the auction totals around them (see change-repo.ts). */
  changeLog(): ChangeRepo { return (this.changeRepo ??= new ChangeRepo(this.db)); }
  /** Reads of auctions recorded under A/B tests of the ping tree (see ab-test-repo.ts). */
  abTests(): AbTestRepo { return (this.abTestRepo ??= new AbTestRepo(this.db)); }
  /** Lead value estimates and dynamic floor changes (see market-repo.ts). */
  market(): MarketRepo { return (this.marketRepo ??= new MarketRepo(this.db, this.queue, this.readonly)); }
  /** Finished auctions with their pings and posts, paged, for the what-if replay (see recorded-auction-repo.ts). */
  recordedAuctions(): RecordedAuctionRepo { return (this.recordedAuctionRepo ??= new RecordedAuctionRepo(this.db)); }
  evidenceReads(): EvidenceRepo { return (this.evidenceRepo ??= new EvidenceRepo(this.db)); }
  /**
   * Opens the signing key (`keyFile`, else the default outside the data folder; created if this
   * database has none yet) and starts signing the chain's head; close() signs the last head and stops it.
   */
  startAuditCheckpoints(opts: { keyFile?: string; keys?: SigningKeyStore; schedule?: CheckpointSchedule } = {}): AuditCheckpointer {
    this.writable();
    const keys = opts.keys ?? new FileSigningKeyStore(signingKeyFile(this.databaseId(), { file: opts.keyFile }));
    const key = openSigningKey(this.checkpoints, keys);
    this.checkpointer?.stopNow();
    this.checkpointer = new AuditCheckpointer(this.checkpoints, key, { now: this.now, log: this.log, flush: () => this.flush(), enqueue: (op) => this.queue.enqueue(op), keys }, opts.schedule).start();
    return this.checkpointer;
  }

  /**
   * Moves WAL checkpoints to a worker thread (see WalCheckpointer): the engine's commits never copy
   * the WAL into the database file on the event loop. Starts the report rollups' catch-up too: in the
   * writer thread, between its batches, or else in the checkpointer's worker (`foldIn: 'checkpointer'`
   * asks for the latter, for comparison in a bench). Stopped by close().
   */
  startWalCheckpoints(intervalMs?: number, opts: { foldIn?: 'writer' | 'checkpointer' } = {}): WalCheckpointer {
    this.writable();
    this.walCheckpointer?.stop();
    const writerFolds = opts.foldIn !== 'checkpointer' && this.queue.foldRollupsInWriter();
    this.walCheckpointer = new WalCheckpointer(this.db, this.file, intervalMs, (sql) => this.queue.writerPragma(sql), { foldRollups: !writerFolds });
    return this.walCheckpointer;
  }

  /**
   * The record hash for a lead's `received` event, keyed with the lead's key (the one `leadHash` uses,
   * written with the lead's row by insertLead, which comes first), so erasure destroys it too.
   */
  sealLeadRecord(leadId: string, fields: LeadFields, consent: ConsentRecord, contactFields: Iterable<string>): LeadRecordHash {
    return hashLeadRecord(this.leadKeys.keyFor(leadId), fields, consent, contactFields);
  }

  exportCsv(kind: ExportKind, opts: ExportOptions): Promise<{ rows: number }> { return exportCsv(this.file, kind, opts); }

  /**
   * Runs a query's reads (ReadSteps of a repository of this store) in the read thread, started on
   * first use, or here when it is not wanted, could not start or has stopped (said once in the log);
   * the answer is the same either way.
   */
  async readOffLoop<T>(steps: () => ReadSteps<T>): Promise<T> {
    if (this.closed) throw new PingdeskError('internal', 'The store is closed');
    if (this.readThread === undefined) this.readThread = new ReadThread(this.file);
    const thread = this.readThread;
    if (thread) {
      try {
        return await thread.run(steps);
      } catch (err) {
        if (!(err instanceof ReadThreadStopped)) throw err;
        if (this.closed) throw new PingdeskError('internal', 'The store is closed');
        if (this.readThread === thread) {
          this.readThread = null;
          thread.close();
          this.log('warn', 'report queries run on the main thread: the read thread stopped', { err: err.message });
        }
      }
    }
    return runSteps(this.db, steps());
  }

  private writableOutbox(): AuditOutbox {
    this.writable();
    if (!this.outbox) throw new PingdeskError('read_only', 'The store is open read-only');
    return this.outbox;
  }

  private writable(): void {
    if (this.readonly) throw new PingdeskError('read_only', 'The store is open read-only');
    if (this.closed) throw new PingdeskError('internal', 'The store is closed');
    // Direct writes would overtake the retained ones; the operator retries once the banner clears.
    const unavailable = this.queue.unavailableError();
    if (unavailable) throw unavailable;
  }
}

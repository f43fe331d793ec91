import type { KeyObject } from 'node:crypto';
import { PingdeskError } from '../../shared/errors.js';
import { signCheckpoint, type AuditCheckpoint, type CheckpointRepo } from './audit-checkpoints.js';
import { generateSigningKey, publicKeyId, readPublicKeyPem, type SigningKeyStore } from './signing-key.js';
import type { StoreLog, WriteOp } from './write-queue.js';
import type { ChainHead } from './audit-chain.js';

export interface CheckpointSchedule {
  /** A checkpoint at most this long after an event was appended (default 60 s). */
  intervalMs?: number;
  /** ... or as soon as this many events are unsigned (default 1000). */
  everyEvents?: number;
  /** How often the head is looked at (default 1 s). */
  tickMs?: number;
}

/**
 * The database's signing key from its store, created on first use. A database keeps one key for its
 * life: a key file that does not match the public key recorded in the database, or a missing key file
 * once one was recorded, is refused rather than replaced, since replacing it would let anyone who can
 * rewrite the database re-sign it.
 */
export function openSigningKey(repo: CheckpointRepo, keys: SigningKeyStore): KeyObject {
  const recorded = repo.publicKeyPem();
  let key = keys.load();
  if (!key) {
    if (recorded) {
      throw new PingdeskError(
        'signing_key_missing',
        `This database's audit checkpoints are signed with key ${publicKeyId(readPublicKeyPem(recorded))}, whose private key is not at ${keys.location}. Copy the key file there or pass --signing-key FILE.`,
      );
    }
    key = generateSigningKey();
    keys.save(key);
  }
  if (!recorded) repo.recordPublicKey(key);
  else if (publicKeyId(readPublicKeyPem(recorded)) !== publicKeyId(key)) {
    throw new PingdeskError('signing_key_mismatch', `The signing key at ${keys.location} is not this database's key (${publicKeyId(readPublicKeyPem(recorded))}).`);
  }
  return key;
}

/**
 * Signs the committed head of the audit chain off the hot path: on a timer, when events were appended
 * since the last checkpoint and either `intervalMs` passed or `everyEvents` piled up; at start; and at
 * a clean stop. Appending an event never waits for a signature.
 *
 * The timer's checkpoints are written through the store's write queue, like every write of the traffic:
 * the store's writer commits them with its next batch, so the event loop never takes SQLite's write lock
 * (under load the writer thread holds it almost all the time, and a second writer on the loop would
 * sleep in SQLite's busy handler until a gap). One such checkpoint is in the queue at a time; it
 * becomes `latest` once committed. At start and at close the store's own connection writes directly.
 */
export class AuditCheckpointer {
  private last: AuditCheckpoint | null;
  /** A timer's checkpoint in the write queue, not committed yet. */
  private queued: AuditCheckpoint | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly intervalMs: number;
  private readonly everyEvents: number;
  private readonly tickMs: number;

  constructor(
    private readonly repo: CheckpointRepo,
    private readonly key: KeyObject,
    private readonly deps: { now: () => number; log: StoreLog; flush: () => Promise<void>; enqueue: (op: WriteOp) => void; keys?: SigningKeyStore },
    schedule: CheckpointSchedule = {},
  ) {
    this.last = repo.latestCheckpoint();
    this.intervalMs = schedule.intervalMs ?? 60_000;
    this.everyEvents = schedule.everyEvents ?? 1000;
    this.tickMs = schedule.tickMs ?? 1000;
  }

  get latest(): AuditCheckpoint | null {
    return this.last;
  }

  start(): this {
    this.checkpoint();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
    return this;
  }

  /** Signs the committed head if it moved since the last checkpoint, written at once; returns the newest checkpoint. */
  checkpoint(): AuditCheckpoint | null {
    try {
      const head = this.repo.committedHead();
      if (!head || (this.last && head.seq <= this.last.seq)) return this.last;
      const c = this.sign(head);
      this.repo.add(c);
      this.made(c);
    } catch (err) {
      // A full or failing disk: the events stay unsigned until the next tick succeeds.
      this.deps.log('warn', 'audit checkpoint failed', { error: err instanceof Error ? err.message : String(err) });
    }
    return this.last;
  }

  private sign(head: ChainHead): AuditCheckpoint {
    return signCheckpoint(this.key, this.repo.databaseId(), head, Math.round(this.deps.now()));
  }

  private made(c: AuditCheckpoint): void {
    if (this.last && c.seq <= this.last.seq) return;
    this.last = c;
    this.deps.keys?.saveWitness?.(JSON.stringify(c));
  }

  /** The timer's checkpoint, queued for the store's writer. */
  private queueCheckpoint(head: ChainHead): void {
    const c = this.sign(head);
    this.queued = c;
    this.deps.enqueue(
      this.repo.addOp(c, (committed) => {
        if (this.queued === c) this.queued = null;
        if (committed) this.made(c);
        // Skipped (not a storage fault: those keep the write queued until it commits): the next tick signs again.
        else this.deps.log('warn', 'audit checkpoint failed', { seq: c.seq });
      }),
    );
  }

  /** Stops the timer and signs what is committed after a last flush. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.deps.flush().catch(() => undefined);
    this.checkpoint();
  }

  /** Stops the timer and signs what is committed now; the store calls it as it closes, after its last commit. */
  stopNow(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.checkpoint();
  }

  private tick(): void {
    try {
      if (this.queued) return;
      const head = this.repo.committedHead();
      if (!head) return;
      const last = this.last;
      if (last && head.seq <= last.seq) return;
      if (!last || head.seq - last.seq >= this.everyEvents || this.deps.now() - last.at >= this.intervalMs) this.queueCheckpoint(head);
    } catch (err) {
      this.deps.log('warn', 'audit checkpoint skipped', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

import { readSuppressionValues } from '../../compliance/suppression-values.js';
import { recordRevocation } from '../../intake/revocation.js';
import { progressReporter, type HandlerDeps, type HandlersOf } from './handler-deps.js';

/** Suppression: the phones and emails never to sell, by hand, by CSV import or by a consumer's revocation. */
export function suppressionHandlers(d: HandlerDeps): HandlersOf<'suppression'> {
  const { store } = d;
  /**
   * Suppression changes are compliance evidence: audited and announced. The trail gets counts and kinds,
   * never the hashes: a phone's salted hash is guessable, and the trail cannot forget it after an erasure.
   */
  const announce = (actor: string, at: number): void => d.emit('config.changed', { kind: 'suppression', id: null, actor, at });
  const suppressionChanged = (actor: string, data: Record<string, unknown>): void => {
    const at = d.now();
    store.appendAudit({ leadId: null, type: 'suppression', actor, at, data });
    announce(actor, at);
  };
  /** A change by hand: written with its audit event in one transaction; `audited` null when nothing changed. */
  const changeByHand = <T>(actor: string, write: () => T, audited: (r: T) => Record<string, unknown> | null): T => {
    const at = d.now();
    const { value, event } = store.writeAudited(() => {
      const value = write();
      const data = audited(value);
      return { value, audit: data && { leadId: null, type: 'suppression' as const, actor, at, data } };
    });
    if (event) announce(actor, at);
    return value;
  };
  return {
    'suppression.list': ({ query, limit, offset }) => store.listSuppressions({ query, limit, offset }),
    'suppression.add': ({ values }, ctx) => {
      const { entries, refused } = readSuppressionValues(values, (v) => store.hashContact(v), d.now(), ctx.actor);
      const counts = { phones: entries.filter((e) => e.kind === 'phone').length, emails: entries.filter((e) => e.kind === 'email').length };
      const added = entries.length ? changeByHand(ctx.actor, () => store.addSuppressions(entries), (n) => (n ? { action: 'add', added: n, ...counts } : null)) : 0;
      return { added, refused };
    },
    'suppression.remove': ({ kind, hash }, ctx) => {
      const removed = changeByHand(ctx.actor, () => store.removeSuppression(kind, hash), (r) => (r ? { action: 'remove', kind } : null));
      return { removed: Boolean(removed) };
    },
    'suppression.revoke': async ({ phone, email, capturedAt, reason }, ctx) => {
      const r = await recordRevocation({ store, now: d.now }, { phone, email, reason, captured_at: capturedAt === undefined ? undefined : new Date(capturedAt).toISOString() }, ctx.actor);
      d.emit('config.changed', { kind: 'suppression', id: null, actor: ctx.actor, at: r.receivedAt });
      return { status: 'suppressed' as const, revocationId: r.revocationId, receivedAt: r.receivedAt, suppressed: r.kinds, added: r.added, reasonCode: r.reasonCode };
    },
    'suppression.importCsv': async ({ csv, jobId }, ctx) => {
      const result = await store.importSuppressionText(csv, { now: d.now(), source: ctx.actor, onProgress: progressReporter(d, jobId), batchSize: 5_000 });
      suppressionChanged(ctx.actor, { action: 'import', added: result.added, duplicates: result.duplicates, refused: result.refused.length });
      return result;
    },
  };
}

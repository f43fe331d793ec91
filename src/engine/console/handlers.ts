import { sourceAccounting } from './source-accounting.js';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuyerView, ConsoleEvents, EventName, ScreeningView, SessionInfo, SourceView } from '../../shared/console-api.js';
import type { LeadFields } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { Dispatcher } from '../auction/dispatch.js';
import { LeadSettler } from '../auction/settle-lead.js';
import { eraseConsumer } from '../compliance/erase-consumer.js';
import type { ConfigService } from '../config/config-service.js';
import { buildPingRequest } from '../deliver/build-ping.js';
import { toDollars } from '../money.js';
import { recordRevocation } from '../intake/revocation.js';
import { withoutScreeningKeys } from '../screen/compile-screening.js';
import type { CircuitBreaker } from '../signals/circuit-breaker.js';
import { toStorageHealth } from '../observe/storage-health.js';
import { suggestTier, type BuyerSignals } from '../signals/stats.js';
import { emailHint, phoneHint, type Store } from '../store/index.js';
import type { AuctionRecord } from '../store/records.js';
import type { CapsLedger } from '../tree/caps-ledger.js';
import { buildPingFields } from '../tree/ping-fields.js';
import { normaliseEmail } from '../validate/normalise-email.js';
import { normalisePhone } from '../validate/normalise-phone.js';
import { compileCampaign } from '../workspace/compile.js';
import { releaseDemoFolder } from '../demo/demo-folder.js';
import { writeEvidenceExport } from '../evidence/evidence-export.js';
import { auditSigning, publicKeyExport } from './audit-signing.js';
import { auctionTiersView } from './auction-tiers-view.js';
import { ledgerHandlers } from './ledger-handlers.js';
import { whatifHandlers } from './whatif-handlers.js';
import type { ConsoleHandlers } from './console-host.js';
import { cents, keyView, rate, redactHeaders, sampleFields, toAuctionSummary, toLeadSummary } from './views.js';
import type { HeldPing } from '../auction/held-bids.js';
import { inboundPingViews } from './inbound-pings-view.js';

export interface HandlerDeps {
  store: Store;
  config: ConfigService;
  signals: BuyerSignals;
  breaker: CircuitBreaker;
  caps: CapsLedger;
  dispatcher: Dispatcher;
  now: () => number;
  emit: <E extends EventName>(name: E, payload: ConsoleEvents[E]) => void;
  exportsDir: string;
  session: SessionInfo;
  /** Held inbound pings (absent in a read-only engine). */
  inboundPings?: () => HeldPing[];
}

/** The engine's one implementation of the ConsoleApi contract. */
export function createHandlers(d: HandlerDeps): ConsoleHandlers {
  const { store, config } = d;
  const settler = new LeadSettler({ store, caps: d.caps, config: () => config.runtime });

  const buyerView = (id: string): BuyerView => {
    const spec = config.buyer(id);
    const runtime = config.runtime.buyers.get(id);
    const usage = runtime ? d.caps.usage(id) : { hourly: 0, daily: 0, spendCents: 0 };
    const s = d.signals.snapshot(id, d.now());
    const placements = config.workspace.campaigns.flatMap((c) => {
      const tierIndex = c.tiers.findIndex((t) => t.buyers.includes(id));
      return tierIndex < 0 ? [] : [{ campaignId: c.id, tierIndex, suggestion: suggestTier(s, tierIndex, c.tiers.length) }];
    });
    return {
      spec,
      placements,
      paused: spec.paused === true,
      circuit: d.breaker.state(id),
      usage: { hourly: usage.hourly, daily: usage.daily, spend: toDollars(usage.spendCents) },
      keys: store.listApiKeys('buyer', id).map(keyView),
      signals: {
        bidRate: s.bidRate,
        acceptRate: s.acceptRate,
        lateAccepts: s.lateAccepts,
        timeoutRate: s.timeoutRate,
        avgBid: toDollars(s.avgBidCents),
        avgLatencyMs: s.avgLatencyMs,
        conversionRate: s.conversionRate,
        returnRate: s.returnRate,
        samples: s.pings,
      },
    };
  };

  const sourceView = (id: string): SourceView => ({ spec: config.source(id), keys: store.listApiKeys('source', id).map(keyView) });

  const progress = (jobId: string | undefined) => (done: number, total?: number | null) => {
    if (jobId) d.emit('job.progress', { jobId, done, total: total ?? null });
  };

  /**
   * Suppression changes are compliance evidence: audited and announced. The trail gets counts and kinds,
   * never the hashes: a phone's salted hash is guessable, and the trail cannot forget it after an erasure.
   */
  const suppressionChanged = (actor: string, data: Record<string, unknown>): void => {
    const at = d.now();
    store.appendAudit({ leadId: null, type: 'suppression', actor, at, data });
    d.emit('config.changed', { kind: 'suppression', id: null, actor, at });
  };

  return {
    ...ledgerHandlers({ store, config: () => config.runtime, now: d.now }),
    ...whatifHandlers({ store, config }),
    'session.info': () => ({ ...d.session, health: toStorageHealth(store.storageState()) }),
    'overview.get': ({ from, to, includeTest }) => {
      const o = store.overview({ from, to, includeTest });
      const minutes = Math.max(1, (to - from) / 60_000);
      return {
        from,
        to,
        leads: o.leads,
        sold: o.sold,
        unsold: o.unsold,
        interrupted: o.interrupted,
        fillRate: rate(o.sold, o.leads),
        revenue: toDollars(o.revenueCents),
        payout: toDollars(o.payoutCents),
        margin: toDollars(o.marginCents),
        p50LatencyMs: o.p50LatencyMs,
        p99LatencyMs: o.p99LatencyMs,
        leadsPerMinute: o.leads / minutes,
      };
    },
    'timeseries.get': ({ from, to, bucketMs }) =>
      store.timeseries({ from, to, bucketMs }).map((p) => ({
        t: p.t,
        leads: p.leads,
        sold: p.sold,
        revenue: toDollars(p.revenueCents),
        margin: toDollars(p.marginCents),
        fillRate: rate(p.sold, p.leads),
        p50LatencyMs: p.p50LatencyMs,
        p99LatencyMs: p.p99LatencyMs,
      })),
    'stats.buyers': ({ from, to }) =>
      store.buyerStats({ from, to }).map((s) => ({
        buyerId: s.buyerId,
        pings: s.pings,
        bids: s.bids,
        wins: s.wins,
        posts: s.posts,
        accepted: s.accepted,
        timeouts: s.timeouts,
        errors: s.errors,
        bidRate: rate(s.bids, s.pings),
        winRate: rate(s.wins, s.bids),
        acceptRate: rate(s.accepted, s.posts),
        timeoutRate: rate(s.timeouts, s.pings),
        avgBid: toDollars(s.avgBidCents ?? 0),
        avgLatencyMs: s.avgLatencyMs ?? 0,
        revenue: toDollars(s.revenueCents),
      })),
    'stats.sources': ({ from, to }) =>
      sourceAccounting(store.sourceStats({ from, to }), store.refusalCounts(from, to)),
    'auctions.list': (args) => {
      const page = store.listAuctions({ campaignId: args.campaignId, buyerId: args.buyerId, status: args.status, from: args.from, to: args.to, limit: args.limit, before: args.cursor ?? undefined });
      return { rows: page.rows.map(toAuctionSummary), nextCursor: page.nextCursor ?? null };
    },
    'pings.inbound': () => inboundPingViews(d.inboundPings?.() ?? [], d.now()),
    'auctions.get': ({ id }) => {
      const found = store.getAuction(id);
      if (!found) throw new PingdeskError('not_found', `No auction "${id}"`);
      // Tier names, floor parts and buyer names as recorded when the auction ran.
      const trail = store.auditForLead(found.auction.leadId);
      const { tiers, excluded, buyerNames } = auctionTiersView(id, trail);
      const promised = trail.find((e) => e.type === 'inbound_ping' && e.data.auctionId === id)?.data;
      return {
        auction: { ...toAuctionSummary(found.auction), floor: cents(found.auction.floorCents) },
        pings: found.pings.map((p) => ({ buyerId: p.buyerId, tierIndex: p.tierIndex, sentAt: p.sentAt, latencyMs: p.latencyMs, outcome: p.outcome, bid: cents(p.bidCents), floor: toDollars(p.floorCents), reason: p.reason, httpStatus: p.httpStatus })),
        posts: found.posts.map((p) => ({ buyerId: p.buyerId, attempt: p.attempt, sentAt: p.sentAt, latencyMs: p.latencyMs, outcome: p.outcome, price: toDollars(p.priceCents), reason: p.reason, buyerRef: p.buyerRef })),
        excluded,
        tiers,
        buyerNames,
        promise: promised ? { pingId: String(promised.pingId), price: Number(promised.promised) } : null,
      };
    },
    'leads.search': ({ query, limit }) => {
      const q = query.trim();
      const byId = store.getLead(q);
      if (byId) return [toLeadSummary(byId)];
      const email = q.includes('@') ? normaliseEmail(q) : null;
      const phone = email ? null : normalisePhone(q);
      if (!email && !phone) return [];
      const rows = store.findLeads({ emailHash: email ? store.hashContact(email) : undefined, phoneHash: phone ? store.hashContact(phone) : undefined, limit });
      return rows.map(toLeadSummary);
    },
    'leads.get': ({ id }) => {
      const lead = store.getLead(id);
      if (!lead) throw new PingdeskError('not_found', `No lead "${id}"`);
      const trail = store.auditForLead(id);
      const auctionIds = [...new Set(trail.map((e) => e.data.auctionId).filter((x): x is string => typeof x === 'string'))];
      const auctions = auctionIds.map((a) => store.getAuction(a)?.auction).filter((a): a is AuctionRecord => Boolean(a));
      return {
        lead: { ...toLeadSummary(lead), fields: lead.fields, consent: lead.consent, erased: Boolean((lead as { erasedAt?: number | null }).erasedAt) },
        auctions: auctions.map((a) => toAuctionSummary({ ...a, state: lead.state })),
        trail: trail.map((e) => ({ seq: e.seq, leadId: e.leadId, at: e.at, type: e.type, actor: e.actor, data: e.data, hash: e.hash, prevHash: e.prevHash })),
        screening: store.screeningsForLead(id) as ScreeningView[],
      };
    },
    'leads.evidence': ({ id }) => writeEvidenceExport(store, id, d.exportsDir, d.now()),
    'leads.erase': ({ id, suppress }, ctx) => {
      // Every lead of the person goes, not just this one: an erasure request is about a consumer.
      const r = eraseConsumer(store, { leadId: id }, { actor: ctx.actor, suppress: suppress === true, exportsDir: d.exportsDir, now: d.now });
      if (r.suppressed) d.emit('config.changed', { kind: 'suppression', id: null, actor: ctx.actor, at: r.erasedAt });
      return { erased: true, leads: r.leads.length, suppressed: r.suppressed, exportsRemoved: r.exportsRemoved };
    },
    'leads.settle': async ({ leadId, outcome, buyerId }, ctx) => {
      const done = await settler.settle({ leadId, outcome, buyerId, actor: ctx.actor });
      const settled = store.getAuction(done.auctionId)?.auction;
      const lead = store.getLead(leadId);
      if (settled) d.emit('auctions.batch', [toAuctionSummary({ ...settled, state: lead?.state ?? null })]);
      return { leadId, auctionId: done.auctionId, status: done.status, buyerId: done.buyerId, price: toDollars(done.priceCents), payout: cents(done.payoutCents) };
    },
    'campaigns.list': () => config.workspace.campaigns.map(withoutScreeningKeys),
    'campaigns.save': ({ campaign }, ctx) => withoutScreeningKeys(config.saveCampaign(campaign, ctx.actor)),
    'campaigns.delete': ({ id }, ctx) => {
      config.deleteCampaign(id, ctx.actor);
      return { deleted: true };
    },
    'tiers.set': ({ campaignId, tiers }, ctx) => config.setTiers(campaignId, tiers, ctx.actor),
    'tiers.setFloor': ({ campaignId, tierIndex, floor }, ctx) => config.setFloor(campaignId, tierIndex, floor, ctx.actor),
    'sources.list': () => config.workspace.sources.map((s) => sourceView(s.id)),
    'sources.save': ({ source }, ctx) => sourceView(config.saveSource(source, ctx.actor).id),
    'sources.delete': ({ id }, ctx) => {
      config.deleteSource(id, ctx.actor);
      return { deleted: true };
    },
    'sources.createKey': ({ sourceId }, ctx) => config.createKey('source', sourceId, ctx.actor),
    'sources.revokeKey': ({ keyId }, ctx) => {
      config.revokeKey(keyId, ctx.actor);
      return { revoked: true };
    },
    'buyers.list': () => config.workspace.buyers.map((b) => buyerView(b.id)),
    'buyers.save': ({ buyer }, ctx) => buyerView(config.saveBuyer(buyer, ctx.actor).id),
    'buyers.delete': ({ id }, ctx) => {
      config.deleteBuyer(id, ctx.actor);
      return { deleted: true };
    },
    'buyers.setPaused': ({ id, paused }, ctx) => buyerView(config.setPaused(id, paused, ctx.actor).id),
    'buyers.setCaps': ({ id, caps }, ctx) => buyerView(config.setCaps(id, caps, ctx.actor).id),
    'buyers.createKey': ({ buyerId }, ctx) => config.createKey('buyer', buyerId, ctx.actor),
    'buyers.revokeKey': ({ keyId }, ctx) => {
      config.revokeKey(keyId, ctx.actor);
      return { revoked: true };
    },
    'buyers.testPing': async ({ id, campaignId, fields }) => {
      // Also refused here, not only by the host: a review copy never sends anything to a buyer.
      if (d.session.readOnly) throw new PingdeskError('read_only', 'This data folder is open read-only; nothing is sent to buyers');
      const buyer = config.runtime.buyers.get(id);
      if (!buyer) throw new PingdeskError('not_found', `No buyer "${id}"`);
      if (!buyer.spec.ping) throw new PingdeskError('validation_failed', `Buyer "${id}" is fixed-price: it has no ping URL`, { details: [{ field: 'ping.url', message: 'no ping URL' }] });
      const campaign = config.runtime.campaigns.get(campaignId) ?? compileCampaign(config.campaign(campaignId));
      const sample: LeadFields = { ...sampleFields(campaign.fields), ...(fields ?? {}) };
      const ping = { pingId: `test.${d.now().toString(36)}`, campaign: campaign.id, vertical: campaign.spec.vertical, fields: buildPingFields(campaign, sample), test: true };
      const built = buildPingRequest(buyer, ping);
      const r = await d.dispatcher.ping(buyer, built, d.now() + (buyer.pingTimeoutMs ?? campaign.pingTimeoutMs), { capture: true });
      const req = r.request ?? built;
      return {
        outcome: r.outcome,
        bid: cents(r.bidCents),
        latencyMs: r.latencyMs,
        reason: r.reason ?? null,
        request: { url: req.url, method: req.method, headers: redactHeaders(req.headers), body: req.body },
        response: { status: r.httpStatus ?? null, body: r.responseBody ?? null },
      };
    },
    'suppression.list': ({ query, limit, offset }) => store.listSuppressions({ query, limit, offset }),
    'suppression.add': ({ values }, ctx) => {
      const refused: Array<{ value: string; reason: string }> = [];
      const entries = [];
      const at = d.now();
      for (const raw of values) {
        const email = raw.includes('@') ? normaliseEmail(raw) : null;
        const phone = email || raw.includes('@') ? null : normalisePhone(raw);
        if (email) entries.push({ kind: 'email' as const, hash: store.hashContact(email), hint: emailHint(email), addedAt: at, source: ctx.actor });
        else if (phone) entries.push({ kind: 'phone' as const, hash: store.hashContact(phone), hint: phoneHint(phone), addedAt: at, source: ctx.actor });
        else refused.push({ value: raw, reason: raw.includes('@') ? 'not a valid email' : 'not a valid phone number' });
      }
      const added = entries.length ? store.addSuppressions(entries) : 0;
      if (added) suppressionChanged(ctx.actor, { action: 'add', added, phones: entries.filter((e) => e.kind === 'phone').length, emails: entries.filter((e) => e.kind === 'email').length });
      return { added, refused };
    },
    'suppression.remove': ({ kind, hash }, ctx) => {
      const removed = store.removeSuppression(kind, hash);
      if (removed) suppressionChanged(ctx.actor, { action: 'remove', kind });
      return { removed: Boolean(removed) };
    },
    'suppression.revoke': async ({ phone, email, capturedAt, reason }, ctx) => {
      const r = await recordRevocation({ store, now: d.now }, { phone, email, reason, captured_at: capturedAt === undefined ? undefined : new Date(capturedAt).toISOString() }, ctx.actor);
      d.emit('config.changed', { kind: 'suppression', id: null, actor: ctx.actor, at: r.receivedAt });
      return { status: 'suppressed' as const, revocationId: r.revocationId, receivedAt: r.receivedAt, suppressed: r.kinds, added: r.added, reasonCode: r.reasonCode };
    },
    'suppression.importCsv': async ({ csv, jobId }, ctx) => {
      const result = await store.importSuppressionText(csv, { now: d.now(), source: ctx.actor, onProgress: progress(jobId), batchSize: 5_000 });
      suppressionChanged(ctx.actor, { action: 'import', added: result.added, duplicates: result.duplicates, refused: result.refused.length });
      return result;
    },
    'workspace.export': () => config.exportWorkspace(),
    'workspace.import': ({ workspace }, ctx) => {
      const ws = config.importWorkspace(workspace, ctx.actor);
      // The folder now holds the broker's own configuration: `--demo` must not replace it.
      releaseDemoFolder(store);
      return { campaigns: ws.campaigns.length, sources: ws.sources.length, buyers: ws.buyers.length };
    },
    'audit.verify': async (args) => store.verifyTrailAsync({ onProgress: progress(args?.jobId) }),
    'audit.signing': () => auditSigning(store),
    'audit.publicKey': () => publicKeyExport(store),
    'export.csv': async ({ kind, from, to, jobId }) => {
      mkdirSync(d.exportsDir, { recursive: true, mode: 0o700 });
      // The random part keeps two exports of the same millisecond from writing one file.
      const fileName = `${kind}-${new Date(d.now()).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.csv`;
      const path = join(d.exportsDir, fileName);
      const report = progress(jobId);
      const { rows } = await store.exportCsv(kind, { from, to, out: path, onProgress: (n: number) => report(n) });
      report(rows, rows);
      return { kind, rows, fileName, path };
    },
  };
}

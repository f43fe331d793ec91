import type { ScreeningView } from '../../../shared/console-api.js';
import { PingdeskError } from '../../../shared/errors.js';
import { LeadSettler } from '../../auction/settle-lead.js';
import { eraseConsumer } from '../../compliance/erase-consumer.js';
import { writeEvidenceExport } from '../../evidence/evidence-export.js';
import { toDollars } from '../../money.js';
import type { AuctionRecord } from '../../store/records.js';
import { searchLeads } from '../lead-search.js';
import { cents, toAuctionSummary, toLeadSummary } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Leads: search by id, phone or email; one lead's record and trail; evidence, erasure and settlement. */
export function leadsHandlers(d: HandlerDeps): HandlersOf<'leads'> {
  const { store, config } = d;
  const settler = new LeadSettler({ store, caps: d.caps, config: () => config.runtime });
  return {
    'leads.search': ({ query, limit }) => searchLeads(store, query, limit).map(toLeadSummary),
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
  };
}

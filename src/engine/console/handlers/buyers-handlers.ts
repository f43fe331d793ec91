import type { LeadFields } from '../../../shared/domain.js';
import { PingdeskError } from '../../../shared/errors.js';
import { buildPingRequest } from '../../deliver/build-ping.js';
import { buildPingFields } from '../../tree/ping-fields.js';
import { compileCampaign } from '../../workspace/compile.js';
import { cents, redactHeaders, sampleFields } from '../views.js';
import { buyerView } from './buyer-view.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Buyers: save, pause, caps, API keys and a test ping. */
export function buyersHandlers(d: HandlerDeps): HandlersOf<'buyers'> {
  const { config } = d;
  const view = (id: string) => buyerView(d, id);
  return {
    'buyers.list': () => config.workspace.buyers.map((b) => view(b.id)),
    'buyers.save': ({ buyer }, ctx) => view(config.saveBuyer(buyer, ctx.actor).id),
    'buyers.delete': ({ id }, ctx) => {
      config.deleteBuyer(id, ctx.actor);
      return { deleted: true };
    },
    'buyers.setPaused': ({ id, paused }, ctx) => view(config.setPaused(id, paused, ctx.actor).id),
    'buyers.setCaps': ({ id, caps }, ctx) => view(config.setCaps(id, caps, ctx.actor).id),
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
  };
}

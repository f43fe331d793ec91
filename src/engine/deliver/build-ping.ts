import type { LeadFields } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import { encodeBody } from './encode-body.js';
import { endpointHeaders } from './endpoint-headers.js';
import type { HttpRequestSpec } from './request.js';
import { CONTENT_TYPES } from './request.js';
import type { TemplateContext } from './template-values.js';
import { templateEntries } from './template-values.js';

export interface PingInput {
  pingId: string;
  campaign: string;
  vertical: string;
  /** The campaign's ping fields only: the caller picks them, this builder sends what it is given. */
  fields: LeadFields;
  test: boolean;
}

/**
 * The ping for one buyer: the native protocol of DESIGN.md §4, or the buyer's template. Pure; a
 * buyer without a ping endpoint is fixed-price and is never pinged, so asking for one is a bug.
 */
export function buildPingRequest(buyer: RuntimeBuyer, ping: PingInput): HttpRequestSpec {
  const endpoint = buyer.spec.ping;
  if (!endpoint) throw new PingdeskError('internal', `Buyer "${buyer.id}" has no ping endpoint; fixed-price buyers are never pinged`);
  const template = endpoint.template;
  const method = endpoint.method ?? 'POST';
  if (!template) {
    const body = { ping_id: ping.pingId, campaign: ping.campaign, vertical: ping.vertical, fields: ping.fields, ...(ping.test ? { test: true } : {}) };
    return { url: endpoint.url, method, headers: endpointHeaders(endpoint, CONTENT_TYPES.json), body: JSON.stringify(body) };
  }
  const ctx: TemplateContext = { pingId: ping.pingId, campaign: ping.campaign, vertical: ping.vertical, test: ping.test, fields: ping.fields };
  const defaults = Object.keys(ping.fields).map((name): [string, string] => [name, name]);
  const body = encodeBody(template.format, templateEntries(template, ctx, defaults), template.root ?? 'ping');
  return { url: endpoint.url, method, headers: endpointHeaders(endpoint, CONTENT_TYPES[template.format]), body };
}

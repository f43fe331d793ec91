import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import { toDollars } from '../money.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import { encodeBody } from './encode-body.js';
import { endpointHeaders } from './endpoint-headers.js';
import type { HttpRequestSpec } from './request.js';
import { CONTENT_TYPES } from './request.js';
import type { TemplateContext } from './template-values.js';
import { templateEntries } from './template-values.js';

export interface PostInput {
  pingId: string;
  /** The buyer's price lock from its bid; null for fixed-price buyers and buyers that sent none. */
  token: string | null;
  priceCents: Cents;
  /** The full record, contact fields included: only ever built for the one buyer being posted to. */
  lead: LeadFields;
  consent: ConsentRecord;
  test: boolean;
  leadId: string;
  campaign?: string;
  vertical?: string;
}

/**
 * The post for the winning buyer. The native body adds `lead_id` to DESIGN.md §4's fields, since a
 * buyer needs it to report conversions and returns through `/v1/feedback`.
 */
export function buildPostRequest(buyer: RuntimeBuyer, post: PostInput): HttpRequestSpec {
  const endpoint = buyer.spec.post;
  const template = endpoint.template;
  const method = endpoint.method ?? 'POST';
  if (!template) {
    const body = {
      ping_id: post.pingId,
      lead_id: post.leadId,
      token: post.token,
      price: toDollars(post.priceCents),
      lead: post.lead,
      consent: post.consent,
      ...(post.test ? { test: true } : {}),
    };
    return { url: endpoint.url, method, headers: endpointHeaders(endpoint, CONTENT_TYPES.json), body: JSON.stringify(body) };
  }
  const ctx: TemplateContext = {
    pingId: post.pingId,
    campaign: post.campaign,
    vertical: post.vertical,
    test: post.test,
    fields: post.lead,
    leadId: post.leadId,
    priceCents: post.priceCents,
    token: post.token,
    consent: post.consent,
  };
  const defaults: Array<[string, string]> = [
    ['lead_id', '$lead_id'],
    ['token', '$token'],
    ['price', '$price'],
    ...Object.keys(post.lead).map((name): [string, string] => [name, name]),
    ...Object.keys(post.consent).map((key): [string, string] => [`consent.${key}`, `consent.${key}`]),
  ];
  const body = encodeBody(template.format, templateEntries(template, ctx, defaults), template.root ?? 'lead');
  return { url: endpoint.url, method, headers: endpointHeaders(endpoint, CONTENT_TYPES[template.format]), body };
}

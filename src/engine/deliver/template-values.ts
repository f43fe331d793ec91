import type { BodyFormat, ConsentRecord, DeliveryTemplate, LeadFields } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import { toDollars } from '../money.js';

/** A value placed in a templated body; arrays become repeated form keys or XML elements. */
export type TemplateValue = string | number | boolean | null | string[];
export type TemplateEntry = [name: string, value: TemplateValue];

/**
 * What a template may draw from. A ping context has no lead id, price, token or consent, so a
 * template that maps them sends nothing for them in a ping: contact data cannot leak through a
 * mapping, only through `fields`, which the caller restricts to the campaign's ping fields.
 */
export interface TemplateContext {
  pingId: string;
  campaign?: string;
  vertical?: string;
  test: boolean;
  fields: LeadFields;
  leadId?: string;
  priceCents?: Cents;
  token?: string | null;
  consent?: ConsentRecord;
}

/** Sources a template can name besides lead fields and `consent.<key>`. */
export const SPECIAL_SOURCES = ['$ping_id', '$campaign', '$vertical', '$test', '$price', '$token', '$lead_id'] as const;

/** Exact "12.30" from cents, for bodies where the price travels as text. */
export function formatDollars(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `undefined` means "not available here": the entry is left out of the body. */
export function resolveSource(source: string, ctx: TemplateContext, format: BodyFormat): TemplateValue | undefined {
  switch (source) {
    case '$ping_id':
      return ctx.pingId;
    case '$campaign':
      return ctx.campaign;
    case '$vertical':
      return ctx.vertical;
    case '$test':
      return ctx.test;
    case '$price':
      if (ctx.priceCents === undefined) return undefined;
      return format === 'json' ? toDollars(ctx.priceCents) : formatDollars(ctx.priceCents);
    case '$token':
      return ctx.token;
    case '$lead_id':
      return ctx.leadId;
  }
  if (source.startsWith('consent.')) {
    if (!ctx.consent) return undefined;
    const value: unknown = (ctx.consent as unknown as Record<string, unknown>)[source.slice('consent.'.length)];
    if (Array.isArray(value)) return value.map(String);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined;
  }
  return Object.hasOwn(ctx.fields, source) ? ctx.fields[source] : undefined;
}

/**
 * The name/value pairs of a templated body, in order: `ping_id` (unless the template maps some name
 * to `$ping_id`), the mapped fields (or `defaults` when the template maps none), then the constants
 * in `static`, which win over a mapped value of the same name.
 */
export function templateEntries(template: DeliveryTemplate, ctx: TemplateContext, defaults: Array<[string, string]>): TemplateEntry[] {
  const mapping = template.fields ? Object.entries(template.fields) : defaults;
  const entries: TemplateEntry[] = [];
  if (!mapping.some(([, source]) => source === '$ping_id')) entries.push(['ping_id', ctx.pingId]);
  for (const [name, source] of mapping) {
    const value = resolveSource(source, ctx, template.format);
    if (value !== undefined) entries.push([name, value]);
  }
  for (const [name, value] of Object.entries(template.static ?? {})) entries.push([name, value]);
  return entries;
}

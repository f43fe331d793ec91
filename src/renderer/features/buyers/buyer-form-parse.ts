import type { BuyerSpec, DeliveryTemplate, EndpointAuth, EndpointSpec, FieldRule } from '../../../shared/domain.js';
import type { BuyerForm, EndpointForm, RowForm, TemplateForm } from './buyer-form.js';
import type { FieldErrors } from './field-errors.js';
import { parseDollars, parseList, parseOptionalNumber } from './field-errors.js';
import { parseStateList } from '../../../shared/us-states.js';

/**
 * Form → BuyerSpec. Only what cannot be expressed as a spec is checked here (a timeout that is not
 * a number, a schedule without a time zone); everything else, URLs included, is the engine's to
 * judge, and its `validation_failed` details land on the same paths used here.
 */
export function formToBuyer(form: BuyerForm, original?: BuyerSpec): { spec: BuyerSpec; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const spec: BuyerSpec = { ...(original ?? {}), id: form.id.trim(), name: form.name.trim(), post: endpoint(form.post, 'post', errors) };
  for (const key of ['consentName', 'priority', 'bidAdjustmentPercent', 'fixedPrice', 'ping', 'filters', 'caps', 'schedule'] as const) delete spec[key];

  if (form.consentName.trim()) spec.consentName = form.consentName.trim();
  const priority = integer(form.priority, 'priority', errors);
  if (priority !== undefined) spec.priority = priority;
  const adjustment = integer(form.bidAdjustment, 'bidAdjustmentPercent', errors);
  if (adjustment !== undefined && (adjustment < -100 || adjustment > 100)) errors.bidAdjustmentPercent = 'A whole percent from −100 to 100';
  else if (adjustment !== undefined && adjustment !== 0) spec.bidAdjustmentPercent = adjustment;
  spec.active = form.active;

  if (form.ping.url.trim()) {
    spec.ping = endpoint(form.ping, 'ping', errors);
  } else {
    const price = parseDollars(form.fixedPrice);
    if (price === undefined) errors.fixedPrice = 'A buyer without a ping URL needs a fixed price: enter one, or a ping URL';
    else if (Number.isNaN(price) || price < 0) errors.fixedPrice = 'Enter the fixed price in dollars, e.g. 15.00 or $1,250.00';
    else spec.fixedPrice = price;
  }

  const filters: NonNullable<BuyerSpec['filters']> = {};
  const lists = { states: states(form.states, 'filters.states', errors), excludeStates: states(form.excludeStates, 'filters.excludeStates', errors), zips: parseList(form.zips), excludeZips: parseList(form.excludeZips) };
  for (const [key, list] of Object.entries(lists) as Array<[keyof typeof lists, string[]]>) if (list.length) filters[key] = list;
  const rules = form.rules.filter((r) => r.field.trim()).map((r): FieldRule => rule(r.field.trim(), r.op, r.value));
  if (rules.length) filters.rules = rules;
  if (original?.filters?.campaigns) filters.campaigns = original.filters.campaigns;
  if (Object.keys(filters).length) spec.filters = filters;

  const caps: NonNullable<BuyerSpec['caps']> = {};
  const hourly = integer(form.hourly, 'caps.hourly', errors);
  const daily = integer(form.daily, 'caps.daily', errors);
  const budget = parseDollars(form.dailyBudget);
  if (hourly !== undefined) caps.hourly = hourly;
  if (daily !== undefined) caps.daily = daily;
  if (budget !== undefined && Number.isNaN(budget)) errors['caps.dailyBudget'] = 'Enter the daily budget in dollars, e.g. 500 or $1,250.00';
  else if (budget !== undefined) caps.dailyBudget = budget;
  if (Object.keys(caps).length) spec.caps = caps;

  const timezone = form.timezone.trim();
  if (timezone) {
    spec.schedule = { timezone };
    if (form.days.length) spec.schedule.days = form.days;
    if (form.from) spec.schedule.from = form.from;
    if (form.to) spec.schedule.to = form.to;
  } else if (form.days.length || form.from || form.to) {
    errors['schedule.timezone'] = 'Pick the time zone the schedule is in';
  }
  return { spec, errors };
}

/** States as the intake takes them, codes or names ("Texas, CA"); anything else is named in the error. */
function states(text: string, path: string, errors: FieldErrors): string[] {
  const { codes, unknown } = parseStateList(text);
  if (unknown.length) errors[path] = `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is not a US state' : 'are not US states'}: use a name (Texas) or a two-letter code (TX)`;
  return codes;
}

function integer(text: string, path: string, errors: FieldErrors): number | undefined {
  const n = parseOptionalNumber(text);
  if (n === undefined) return undefined;
  if (Number.isNaN(n) || !Number.isInteger(n)) {
    errors[path] = 'Enter a whole number';
    return undefined;
  }
  return n;
}

function record(rows: RowForm[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim()) out[r.key.trim()] = r.value;
  return Object.keys(out).length ? out : undefined;
}

function endpoint(form: EndpointForm, path: string, errors: FieldErrors): EndpointSpec {
  const out: EndpointSpec = { url: form.url.trim() };
  const timeout = integer(form.timeoutMs, `${path}.timeoutMs`, errors);
  if (timeout !== undefined) out.timeoutMs = timeout;
  if (form.method !== 'POST') out.method = form.method;
  const headers = record(form.headers);
  if (headers) out.headers = headers;
  const auth = authOf(form.auth);
  if (auth) out.auth = auth;
  if (form.template.enabled) out.template = template(form.template, `${path}.template`, errors);
  return out;
}

function authOf(a: EndpointForm['auth']): EndpointAuth | undefined {
  switch (a.type) {
    case 'bearer':
      return { type: 'bearer', token: a.token };
    case 'basic':
      return { type: 'basic', username: a.username, password: a.password };
    case 'header':
      return { type: 'header', header: a.header.trim(), value: a.value };
    default:
      return undefined;
  }
}

function template(t: TemplateForm, path: string, errors: FieldErrors): DeliveryTemplate {
  const out: DeliveryTemplate = { format: t.format };
  const fields = record(t.fields);
  if (fields) out.fields = fields;
  const statics: NonNullable<DeliveryTemplate['static']> = {};
  t.statics.forEach((row, i) => {
    const key = row.key.trim();
    if (!key) return;
    if (row.kind === 'number') {
      const n = parseOptionalNumber(row.value);
      if (n === undefined || Number.isNaN(n)) errors[`${path}.static.${key}`] = `Row ${i + 1}: not a number`;
      else statics[key] = n;
    } else if (row.kind === 'boolean') statics[key] = row.value.trim() === 'true';
    else statics[key] = row.value;
  });
  if (Object.keys(statics).length) out.static = statics;
  if (t.format === 'xml' && t.root.trim()) out.root = t.root.trim();
  const response: NonNullable<DeliveryTemplate['response']> = {};
  if (t.responseFormat) response.format = t.responseFormat;
  for (const key of ['bidPath', 'tokenPath', 'acceptedPath', 'reasonPath', 'buyerRefPath'] as const) if (t[key].trim()) response[key] = t[key].trim();
  if (t.acceptedValue.trim()) response.acceptedValue = scalar(t.acceptedValue.trim());
  if (Object.keys(response).length) out.response = response;
  return out;
}

/** A plain number without a leading zero becomes a number ("01234" stays a zip string). */
function scalar(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?(0|[1-9]\d*)(\.\d+)?$/.test(text) ? Number(text) : text;
}

function rule(field: string, op: FieldRule['op'], value: string): FieldRule {
  if (op === 'exists') return { field, op };
  if (op === 'in' || op === 'nin') {
    return { field, op, value: value.split(',').map((v) => v.trim()).filter(Boolean).map((v) => { const s = scalar(v); return typeof s === 'boolean' ? v : s; }) };
  }
  return { field, op, value: scalar(value.trim()) };
}

import type { BodyFormat, BuyerSpec, DeliveryTemplate, EndpointAuth, EndpointSpec, FieldRule, Weekday } from '../../../shared/domain.js';

/**
 * The buyer editor's state: what the inputs hold, as typed (strings for numbers, rows for maps).
 * `buyerToForm` and `formToBuyer` (buyer-form-parse.ts) convert to and from the BuyerSpec of
 * src/shared/domain.ts; fields the editor does not show (key hashes, filters.campaigns, headers
 * it cannot parse) are carried over from the original spec untouched.
 */

export interface RowForm {
  key: string;
  value: string;
}

export interface StaticRowForm extends RowForm {
  kind: 'string' | 'number' | 'boolean';
}

export interface TemplateForm {
  /** Native protocol (DESIGN.md §4) when off. */
  enabled: boolean;
  format: BodyFormat;
  root: string;
  fields: RowForm[];
  statics: StaticRowForm[];
  responseFormat: '' | BodyFormat | 'text';
  bidPath: string;
  tokenPath: string;
  acceptedPath: string;
  acceptedValue: string;
  reasonPath: string;
  buyerRefPath: string;
}

export interface EndpointForm {
  url: string;
  timeoutMs: string;
  method: 'POST' | 'PUT';
  headers: RowForm[];
  auth: Required<Pick<EndpointAuth, 'type'>> & { token: string; username: string; password: string; header: string; value: string };
  template: TemplateForm;
}

export interface RuleForm {
  field: string;
  op: FieldRule['op'];
  value: string;
}

export interface BuyerForm {
  id: string;
  name: string;
  consentName: string;
  priority: string;
  /** Ranking only, whole percent (−20 ranks a $30 bid as $24). */
  bidAdjustment: string;
  active: boolean;
  fixedPrice: string;
  ping: EndpointForm;
  post: EndpointForm;
  states: string;
  excludeStates: string;
  zips: string;
  excludeZips: string;
  rules: RuleForm[];
  timezone: string;
  days: Weekday[];
  from: string;
  to: string;
  hourly: string;
  daily: string;
  dailyBudget: string;
}

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const RULE_OPS: FieldRule['op'][] = ['eq', 'neq', 'in', 'nin', 'gte', 'lte', 'gt', 'lt', 'exists'];

const str = (v: number | string | undefined | null): string => (v === undefined || v === null ? '' : String(v));

function templateToForm(t: DeliveryTemplate | undefined): TemplateForm {
  return {
    enabled: t !== undefined,
    format: t?.format ?? 'json',
    root: t?.root ?? '',
    fields: Object.entries(t?.fields ?? {}).map(([key, value]) => ({ key, value })),
    statics: Object.entries(t?.static ?? {}).map(([key, value]) => ({
      key,
      value: String(value),
      kind: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string',
    })),
    responseFormat: t?.response?.format ?? '',
    bidPath: t?.response?.bidPath ?? '',
    tokenPath: t?.response?.tokenPath ?? '',
    acceptedPath: t?.response?.acceptedPath ?? '',
    acceptedValue: str(t?.response?.acceptedValue as string | number | undefined),
    reasonPath: t?.response?.reasonPath ?? '',
    buyerRefPath: t?.response?.buyerRefPath ?? '',
  };
}

export function endpointToForm(e: EndpointSpec | undefined): EndpointForm {
  return {
    url: e?.url ?? '',
    timeoutMs: str(e?.timeoutMs),
    method: e?.method ?? 'POST',
    headers: Object.entries(e?.headers ?? {}).map(([key, value]) => ({ key, value })),
    auth: {
      type: e?.auth?.type ?? 'none',
      token: e?.auth?.token ?? '',
      username: e?.auth?.username ?? '',
      password: e?.auth?.password ?? '',
      header: e?.auth?.header ?? '',
      value: e?.auth?.value ?? '',
    },
    template: templateToForm(e?.template),
  };
}

function ruleValueText(v: FieldRule['value']): string {
  if (v === undefined) return '';
  return Array.isArray(v) ? v.join(', ') : String(v);
}

export function buyerToForm(spec: BuyerSpec): BuyerForm {
  return {
    id: spec.id,
    name: spec.name,
    consentName: spec.consentName ?? '',
    priority: str(spec.priority),
    bidAdjustment: str(spec.bidAdjustmentPercent),
    active: spec.active !== false,
    fixedPrice: str(spec.fixedPrice),
    ping: endpointToForm(spec.ping),
    post: endpointToForm(spec.post),
    states: (spec.filters?.states ?? []).join(', '),
    excludeStates: (spec.filters?.excludeStates ?? []).join(', '),
    zips: (spec.filters?.zips ?? []).join(', '),
    excludeZips: (spec.filters?.excludeZips ?? []).join(', '),
    rules: (spec.filters?.rules ?? []).map((r) => ({ field: r.field, op: r.op, value: ruleValueText(r.value) })),
    timezone: spec.schedule?.timezone ?? '',
    days: spec.schedule?.days ?? [],
    from: spec.schedule?.from ?? '',
    to: spec.schedule?.to ?? '',
    hourly: str(spec.caps?.hourly),
    daily: str(spec.caps?.daily),
    dailyBudget: str(spec.caps?.dailyBudget),
  };
}

export function emptyBuyerSpec(): BuyerSpec {
  return { id: '', name: '', post: { url: '' }, active: true };
}

import { isContactField } from '../../../shared/contact-fields.js';
import type { CampaignSpec, FieldSpec, FieldType, PriceRule } from '../../../shared/domain.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { parseDollars, parseList, parseOptionalNumber } from '../buyers/field-errors.js';
import { rowsToScreening, screeningToRows, type ScreeningRowForm } from './screening-form.js';

/**
 * The campaign editor's state and its conversions. Tiers are not edited here (the Ping tree screen
 * owns them) and are carried over from the original campaign unchanged.
 */

export const FIELD_TYPES: FieldType[] = ['string', 'phone', 'email', 'state', 'zip', 'integer', 'number', 'boolean', 'date', 'enum'];

export interface FieldRowForm {
  name: string;
  type: FieldType;
  required: boolean;
  contact: boolean;
  ping: boolean;
  min: string;
  max: string;
  maxLength: string;
  values: string;
}

export interface CampaignForm {
  id: string;
  name: string;
  vertical: string;
  fields: FieldRowForm[];
  minPrice: string;
  payoutType: PriceRule['type'];
  payoutValue: string;
  marginType: PriceRule['type'];
  marginValue: string;
  pingTimeoutMs: string;
  postTimeoutMs: string;
  /** Empty: the engine's default (5000 ms, or ping + post timeout when longer). */
  auctionTimeoutMs: string;
  maxPostAttempts: string;
  /** Shared leads: '' or 1 is exclusive. */
  maxSales: string;
  failOverOnUnknownPost: boolean;
  duplicateWindowDays: string;
  requireNamedSeller: boolean;
  active: boolean;
  screening: ScreeningRowForm[];
}

/**
 * Whether the editor offers a ping checkbox for a field. Phone and email fields and fields flagged
 * contact identify the consumer; the engine refuses any contact field in a ping (including a few
 * well-known names), and its error is shown on the row when that happens.
 */
export function offersPing(row: Pick<FieldRowForm, 'name' | 'type' | 'contact'>): boolean {
  return !isContactField(row.name.trim(), row);
}

const str = (v: number | undefined): string => (v === undefined ? '' : String(v));

export function emptyField(): FieldRowForm {
  return { name: '', type: 'string', required: false, contact: false, ping: false, min: '', max: '', maxLength: '', values: '' };
}

export function emptyCampaign(): CampaignSpec {
  return {
    id: '', name: '', vertical: '', fields: {}, pingFields: [], minPrice: 0,
    payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 },
    requireNamedSeller: false, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000, maxPostAttempts: 3, failOverOnUnknownPost: false,
    tiers: [], active: true,
  };
}

export function campaignToForm(c: CampaignSpec): CampaignForm {
  return {
    id: c.id,
    name: c.name,
    vertical: c.vertical,
    fields: Object.entries(c.fields).map(([name, f]) => ({
      name,
      type: f.type,
      required: f.required === true,
      contact: f.contact === true,
      ping: c.pingFields.includes(name),
      min: str(f.min),
      max: str(f.max),
      maxLength: str(f.maxLength),
      values: (f.values ?? []).join(', '),
    })),
    minPrice: String(c.minPrice),
    payoutType: c.payout.type,
    payoutValue: String(c.payout.value),
    marginType: c.margin.type,
    marginValue: String(c.margin.value),
    pingTimeoutMs: String(c.pingTimeoutMs),
    postTimeoutMs: String(c.postTimeoutMs),
    auctionTimeoutMs: str(c.auctionTimeoutMs),
    maxPostAttempts: String(c.maxPostAttempts ?? 3),
    maxSales: str(c.maxSales),
    failOverOnUnknownPost: c.failOverOnUnknownPost === true,
    duplicateWindowDays: String(c.duplicateWindowDays),
    requireNamedSeller: c.requireNamedSeller,
    active: c.active !== false,
    screening: screeningToRows(c.screening),
  };
}

/**
 * Form → CampaignSpec. `pingFields` keeps the order of the field rows; a ping flag left on a row
 * that no longer offers one is still sent, so the engine's refusal explains it rather than the
 * editor dropping it silently.
 */
export function formToCampaign(form: CampaignForm, original?: CampaignSpec): { spec: CampaignSpec; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const num = (text: string, path: string, whole = false): number => {
    const n = parseOptionalNumber(text);
    if (n === undefined || Number.isNaN(n) || (whole && !Number.isInteger(n))) {
      errors[path] = whole ? 'Enter a whole number' : 'Enter a number';
      return 0;
    }
    return n;
  };
  const dollars = (text: string, path: string): number => {
    const n = parseDollars(text);
    if (n === undefined || Number.isNaN(n)) {
      errors[path] = 'Enter an amount in dollars, e.g. 5.00 or $1,250.00';
      return 0;
    }
    return n;
  };
  const fields: Record<string, FieldSpec> = {};
  form.fields.forEach((row, i) => {
    const name = row.name.trim();
    if (!name) return;
    if (fields[name]) errors[`fields.${name}`] = `Row ${i + 1} repeats the field name "${name}"`;
    const f: FieldSpec = { type: row.type };
    if (row.required) f.required = true;
    if (row.contact) f.contact = true;
    for (const key of ['min', 'max', 'maxLength'] as const) {
      const n = parseOptionalNumber(row[key]);
      if (n === undefined) continue;
      if (Number.isNaN(n)) errors[`fields.${name}.${key}`] = 'Enter a number';
      else f[key] = n;
    }
    if (row.type === 'enum') f.values = parseList(row.values.replace(/\s+/g, ''));
    fields[name] = f;
  });
  const spec: CampaignSpec = {
    ...(original ?? {}),
    id: form.id.trim(),
    name: form.name.trim(),
    vertical: form.vertical.trim(),
    fields,
    pingFields: form.fields.filter((r) => r.ping && r.name.trim()).map((r) => r.name.trim()),
    minPrice: dollars(form.minPrice, 'minPrice'),
    payout: { type: form.payoutType, value: form.payoutType === 'fixed' ? dollars(form.payoutValue, 'payout.value') : num(form.payoutValue, 'payout.value') },
    margin: { type: form.marginType, value: form.marginType === 'fixed' ? dollars(form.marginValue, 'margin.value') : num(form.marginValue, 'margin.value') },
    pingTimeoutMs: num(form.pingTimeoutMs, 'pingTimeoutMs', true),
    postTimeoutMs: num(form.postTimeoutMs, 'postTimeoutMs', true),
    auctionTimeoutMs: form.auctionTimeoutMs.trim() ? num(form.auctionTimeoutMs, 'auctionTimeoutMs', true) : undefined,
    maxPostAttempts: num(form.maxPostAttempts, 'maxPostAttempts', true),
    maxSales: form.maxSales.trim() ? num(form.maxSales, 'maxSales', true) : undefined,
    failOverOnUnknownPost: form.failOverOnUnknownPost,
    duplicateWindowDays: num(form.duplicateWindowDays, 'duplicateWindowDays', true),
    requireNamedSeller: form.requireNamedSeller,
    tiers: original?.tiers ?? [],
    active: form.active,
    screening: rowsToScreening(form.screening, errors),
  };
  return { spec, errors };
}

/**
 * The engine names ping-field problems by index (`pingFields[2]`); the editor shows them on the
 * field row, so they are re-keyed to `fields.<name>.ping`.
 */
export function rekeyPingErrors(errors: FieldErrors, pingFields: string[]): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const m = /^pingFields\[(\d+)\]$/.exec(field);
    const name = m ? pingFields[Number(m[1])] : undefined;
    const key = name ? `fields.${name}.ping` : field;
    out[key] = out[key] ? `${out[key]}; ${message}` : message;
  }
  return out;
}

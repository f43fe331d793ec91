import type { ErrorDetail, WireError } from '../../../shared/errors.js';
import { ApiError } from '../../api/client.js';
import { plainMessage } from '../../../shared/plain-messages.js';
import { parseMoneyInput } from '../../../shared/money-input.js';

/**
 * Field-level errors keyed by the dotted path the engine names (`post.url`, `filters.states[0]`).
 * The engine reports paths relative to the saved object; a leading wrapper segment (`buyer.`,
 * `campaign.`, `source.`) from argument validation is stripped so both shapes land on the field.
 */
export type FieldErrors = Record<string, string>;

export function toFieldErrors(details: ErrorDetail[] | undefined, wrapper?: string): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details ?? []) {
    let field = d.field;
    if (wrapper && field.startsWith(`${wrapper}.`)) field = field.slice(wrapper.length + 1);
    const message = plainMessage(d.message, field);
    if (out[field]?.split('; ').includes(message)) continue;
    out[field] = out[field] ? `${out[field]}; ${message}` : message;
  }
  return out;
}

/** The message for `path` or anything inside it (`filters.states` also claims `filters.states[2]`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const hits: string[] = [];
  for (const [field, message] of Object.entries(errors)) {
    if (field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`)) hits.push(message);
  }
  return hits.length ? hits.join('; ') : undefined;
}

/** Errors no rendered field claims, so none is silently dropped (shown in a summary instead). */
export function unclaimedErrors(errors: FieldErrors, claimed: string[]): Array<{ field: string; message: string }> {
  return Object.entries(errors)
    .filter(([field]) => !claimed.some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)))
    .map(([field, message]) => ({ field, message }));
}

/**
 * Local problems first, then the engine's for every other field: one round shows them all. A field
 * the form already judged keeps its own message (the engine saw the spec without that field).
 */
export function mergeFieldErrors(local: FieldErrors, engine: FieldErrors): FieldErrors {
  const out: FieldErrors = { ...local };
  for (const [field, message] of Object.entries(engine)) {
    const claimed = Object.keys(local).some((l) => field === l || field.startsWith(`${l}.`) || field.startsWith(`${l}[`) || l.startsWith(`${field}.`));
    if (!claimed) out[field] = message;
  }
  return out;
}

/** A dollar amount as the intake takes it: "$1,250.00" → 1250, "" → undefined, anything else → NaN. */
export function parseDollars(text: string): number | undefined {
  return parseMoneyInput(text);
}

/** "12" → 12, "" → undefined, anything else → NaN (the caller reports it). */
export function parseOptionalNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

/** Comma or whitespace separated list, blanks dropped. */
export function parseList(text: string, upper = false): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => (upper ? s.trim().toUpperCase() : s.trim()))
    .filter(Boolean);
}

/** For the banner above a form: the engine's sentence only, as the field details sit beside their fields. */
export function withoutDetails(e: unknown): unknown {
  return e instanceof ApiError && e.details?.length ? new ApiError({ code: e.code as WireError['code'], message: e.message }) : e;
}

import { ApiError } from '../api/client.js';
import type { ErrorDetail } from '../../shared/errors.js';
import { plainMessage } from '../../shared/plain-messages.js';

/** A readable sentence for anything thrown: ApiError messages as the engine wrote them. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : 'Something went wrong';
}

export function errorCode(err: unknown): string | null {
  return err instanceof ApiError ? err.code : null;
}

/** The engine's field details, each message in plain words (a raw zod sentence never reaches the screen). */
export function errorDetails(err: unknown): ErrorDetail[] {
  return err instanceof ApiError ? (err.details ?? []).map((d) => ({ field: d.field, message: plainMessage(d.message, d.field) })) : [];
}

/**
 * The message the engine gave for one field, if any. `field` matches exactly or as a prefix of a
 * dotted path ("caps" matches "caps.daily"), so a form can show it beside the input at fault.
 */
export function fieldError(err: unknown, field: string): string | undefined {
  const hit = errorDetails(err).find((d) => d.field === field || d.field.startsWith(`${field}.`) || d.field.endsWith(`.${field}`));
  return hit?.message;
}

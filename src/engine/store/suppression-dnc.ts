import { setImmediate as nextTurn } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { RefusedRow, SuppressionImportOptions, SuppressionImportResult } from './suppression-csv.js';
import { numberKeyOfDigest } from './suppression-numbers.js';
import type { SuppressionRepo } from './suppression-repo.js';

/**
 * Do-not-call registry files: the National DNC Registry's full-list downloads (one area code's or
 * one state's registered numbers) come as a flat text file with one ten-digit number a line, or
 * as `NPA,NXXXXXX` (area code, comma, the seven digits). Such a file holds millions of lines, so
 * it is read as raw lines, not as CSV, and checked against the North American numbering plan with
 * a pattern instead of libphonenumber: `NPA` is [2-9][0-8][0-9], the exchange `NXX` is [2-9]XX.
 * Every accepted line becomes the E.164 string intake produces for the same number ("+1" + ten
 * digits), so its salted hash matches a lead's.
 *
 * Each number is stored as an integer key (migration 0050). Memory is bounded by the batch: keys go
 * into a fixed Float64Array (8 MB for DNC_BATCH), which is sorted (its inserts then walk the
 * b-tree in order, each page written once a batch) and committed in one transaction.
 */

export const DNC_BATCH = 1_000_000;
/** Lines a file must start with (all of them DNC-shaped) to be read as a DNC file. */
const SNIFF_LINES = 200;
const NANP = /^[2-9][0-8]\d[2-9]\d{6}$/;

/** A DNC line → "+1NPANXXXXXX", or null. Extra comma fields after the number (dates, flags) are ignored. */
export function dncLineToE164(line: string): string | null {
  const comma = line.indexOf(',');
  let digits = digitsOf(comma < 0 ? line : line.slice(0, comma));
  if (digits === null) return null;
  if (digits.length === 3 && comma >= 0) {
    // `NPA,NXXXXXX` or `NPA,NXX-XXXX`.
    const next = line.indexOf(',', comma + 1);
    const rest = digitsOf(line.slice(comma + 1, next < 0 ? undefined : next));
    if (rest === null || rest.length !== 7) return null;
    digits += rest;
  }
  if (digits.length === 11 && digits.charCodeAt(0) === 49 /* '1' */) digits = digits.slice(1);
  return NANP.test(digits) ? `+1${digits}` : null;
}

/** The digits of one field, or null when it holds anything but digits, spaces, "+().-" and quotes. */
function digitsOf(field: string): string | null {
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c >= 48 && c <= 57) out += field[i];
    else if (c !== 32 && c !== 9 && c !== 13 && c !== 43 && c !== 40 && c !== 41 && c !== 46 && c !== 45 && c !== 34) return null;
  }
  return out;
}

/**
 * True when the text's first lines (up to SNIFF_LINES non-empty ones) are all DNC-shaped: a
 * header-less list of US numbers. Anything else (a header, an email, a name column) is a CSV.
 */
export function looksLikeDnc(head: string): boolean {
  const lines = head.split('\n');
  // The last piece may be a line cut in half by the sniff window.
  if (lines.length > 1) lines.pop();
  let seen = 0;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (dncLineToE164(line) === null) return false;
    if (++seen >= SNIFF_LINES) break;
  }
  return seen > 0;
}

export interface DncImportOptions extends SuppressionImportOptions {
  /** Bytes in the input when known (a file's size), so progress can say how far along it is. */
  totalBytes?: number;
}

/** Streams a DNC file into the suppression list; see the module comment for the format and the memory bound. */
export async function importDncStream(repo: SuppressionRepo, salt: string, input: Readable, opts: DncImportOptions): Promise<SuppressionImportResult> {
  const result: SuppressionImportResult = { added: 0, duplicates: 0, refused: [] as RefusedRow[], refusedCount: 0 };
  const salted = createHash('sha256').update(salt);
  const batchSize = opts.batchSize ?? DNC_BATCH;
  const keys = new Float64Array(batchSize);
  let filled = 0;
  let lines = 0;
  let bytes = 0;
  let carry = '';
  const listId = repo.numbers.startList(opts.source, opts.now);

  const commit = async (): Promise<void> => {
    if (filled === 0) return;
    const batch = keys.subarray(0, filled).sort();
    const added = repo.numbers.addKeys(listId, batch);
    result.added += added;
    result.duplicates += filled - added;
    filled = 0;
    opts.onBytes?.(bytes, opts.totalBytes ?? null);
    opts.onProgress?.(lines);
    // Lets other work (auctions in a running engine, a progress event) run between transactions.
    await nextTurn();
  };
  const take = (raw: string): void => {
    lines++;
    const line = raw.trim();
    if (!line) return;
    const e164 = dncLineToE164(line);
    if (e164 === null) {
      result.refusedCount++;
      if (result.refused.length < 1000) result.refused.push({ line: lines, value: line.slice(0, 80), reason: 'invalid_phone' });
      return;
    }
    // hashContact(salt, e164) with the salt's digest state reused: E.164 is already trimmed and lower-case.
    keys[filled++] = numberKeyOfDigest(salted.copy().update(e164).digest());
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    for (const part of parts) {
      take(part);
      if (filled >= batchSize) await commit();
    }
  }
  if (carry) take(carry);
  await commit();
  opts.onProgress?.(lines);
  return result;
}

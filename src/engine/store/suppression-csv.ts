import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { hashContact } from './contact-hash.js';
import { emailHint, normaliseEmail, normalisePhone, phoneHint } from './contact-normalise.js';
import type { SuppressionEntry } from './records.js';
import type { SuppressionRepo } from './suppression-repo.js';

export interface SuppressionImportOptions {
  /** Time stamped on the new entries (epoch ms). */
  now: number;
  /** Where the entries came from, shown to operators (e.g. the file name). */
  source: string;
  /** Called with the number of CSV records read so far. */
  onProgress?: (records: number) => void;
}

export interface RefusedRow {
  line: number;
  value: string;
  reason: 'invalid_phone' | 'invalid_email';
}

export interface SuppressionImportResult {
  added: number;
  /** Valid values already listed (before the import or earlier in the file). */
  duplicates: number;
  /** The first MAX_REFUSED_LISTED refused values; `refusedCount` has them all. */
  refused: RefusedRow[];
  refusedCount: number;
}

export const MAX_REFUSED_LISTED = 1000;
const CHUNK = 1000;

type Kind = 'phone' | 'email';

/** A first row is a header when nothing in it could be a phone or an email. */
function headerKinds(cells: string[]): Array<Kind | null> | null {
  if (cells.some((c) => c.includes('@') || /\d/.test(c))) return null;
  return cells.map((c) => {
    const name = c.toLowerCase();
    if (name.includes('mail')) return 'email';
    if (name.includes('phone') || name.includes('mobile') || name.includes('tel')) return 'phone';
    return null;
  });
}

/**
 * Streams a CSV of phones and/or emails into the suppression list: named `phone`/`email` columns, or
 * no header and each value classified by its '@'. Memory stays flat whatever the file size.
 */
export function importSuppressionCsv(repo: SuppressionRepo, salt: string, filePath: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
  return importSuppressionStream(repo, salt, fs.createReadStream(filePath), opts);
}

/** The same import from CSV text already in memory (a file picked in the console). */
export function importSuppressionText(repo: SuppressionRepo, salt: string, csv: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
  return importSuppressionStream(repo, salt, Readable.from([csv]), opts);
}

async function importSuppressionStream(repo: SuppressionRepo, salt: string, input: Readable, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
  const result: SuppressionImportResult = { added: 0, duplicates: 0, refused: [], refusedCount: 0 };
  let columns: Array<Kind | null> | null | undefined;
  let chunk: SuppressionEntry[] = [];
  const commit = (): void => {
    const added = repo.addSuppressions(chunk);
    result.added += added;
    result.duplicates += chunk.length - added;
    chunk = [];
  };
  let records = 0;
  const parser = input.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (columns === undefined) {
      columns = headerKinds(record);
      if (columns) continue;
    }
    // With named columns only those are read; a header naming none (e.g. "contact") or no header at
    // all means every value is classified by itself.
    const named = columns?.some((k) => k !== null) ?? false;
    record.forEach((raw, i) => {
      const value = raw.trim();
      if (!value) return;
      const headerKind = columns?.[i] ?? null;
      if (named && headerKind === null) return;
      const kind: Kind = headerKind ?? (value.includes('@') ? 'email' : 'phone');
      const entry = toEntry(kind, value, salt, opts);
      if (entry) chunk.push(entry);
      else {
        result.refusedCount++;
        if (result.refused.length < MAX_REFUSED_LISTED) result.refused.push({ line: info.lines, value, reason: kind === 'phone' ? 'invalid_phone' : 'invalid_email' });
      }
    });
    if (chunk.length >= CHUNK) commit();
    if (++records % 10_000 === 0) opts.onProgress?.(records);
  }
  if (chunk.length > 0) commit();
  opts.onProgress?.(records);
  return result;
}

function toEntry(kind: Kind, value: string, salt: string, opts: SuppressionImportOptions): SuppressionEntry | null {
  const normalised = kind === 'phone' ? normalisePhone(value) : normaliseEmail(value);
  if (!normalised) return null;
  return {
    kind,
    hash: hashContact(salt, normalised),
    hint: kind === 'phone' ? phoneHint(normalised) : emailHint(normalised),
    addedAt: opts.now,
    source: opts.source,
  };
}

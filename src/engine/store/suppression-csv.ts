import fs from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { hashContact } from './contact-hash.js';
import { emailHint, normaliseEmail, normalisePhone, phoneHint } from './contact-normalise.js';
import type { SuppressionEntry } from './records.js';
import { importDncStream, looksLikeDnc } from './suppression-dnc.js';
import type { SuppressionRepo } from './suppression-repo.js';

export interface SuppressionImportOptions {
  /** Time stamped on the new entries (epoch ms). */
  now: number;
  /** Where the entries came from, shown to operators (e.g. the file name). */
  source: string;
  /** Called with the number of CSV records (or DNC lines) read so far. */
  onProgress?: (records: number) => void;
  /** Called as a DNC file is read: bytes read of the file's size. */
  onBytes?: (bytesRead: number, totalBytes: number | null) => void;
  /** Forces how the input is read; by default a file whose first lines are all US numbers is read as 'dnc'. */
  format?: SuppressionFileFormat;
  /** DNC numbers per transaction (default 1,000,000); a running engine passes fewer to keep its event loop free. */
  batchSize?: number;
}

/** How a file was read: a DNC-style list of numbers (one a line) or a CSV. */
export type SuppressionFileFormat = 'dnc' | 'csv';

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
  format?: SuppressionFileFormat;
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
 * Streams a file into the suppression list. A header-less list of US numbers, one a line (the
 * National DNC Registry's downloads, `NPA,NXXXXXX` lines included), takes the DNC path, sized for
 * ten million lines; anything else is read as a CSV of phones and/or emails: named `phone`/`email`
 * columns (a litigator list's other columns are ignored), or no header and each value classified
 * by its '@'. Memory stays flat whatever the file size.
 */
export async function importSuppressionCsv(repo: SuppressionRepo, salt: string, filePath: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
  const format = opts.format ?? sniffFile(filePath);
  if (format === 'dnc') {
    const totalBytes = fs.statSync(filePath).size;
    const r = await importDncStream(repo, salt, fs.createReadStream(filePath, { highWaterMark: 1 << 20 }), { totalBytes, ...opts });
    return { ...r, format };
  }
  return { ...(await importSuppressionStream(repo, salt, fs.createReadStream(filePath), opts)), format };
}

/** The same import from text already in memory (a file picked in the console). */
export async function importSuppressionText(repo: SuppressionRepo, salt: string, csv: string, opts: SuppressionImportOptions): Promise<SuppressionImportResult> {
  const format = opts.format ?? (looksLikeDnc(csv.slice(0, SNIFF_BYTES)) ? 'dnc' : 'csv');
  if (format === 'dnc') return { ...(await importDncStream(repo, salt, Readable.from(textChunks(csv)), { totalBytes: csv.length, ...opts })), format };
  return { ...(await importSuppressionStream(repo, salt, Readable.from([csv]), opts)), format };
}

const SNIFF_BYTES = 16 * 1024;

function sniffFile(filePath: string): SuppressionFileFormat {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return looksLikeDnc(buf.subarray(0, n).toString('latin1')) ? 'dnc' : 'csv';
  } finally {
    fs.closeSync(fd);
  }
}

/** Text in 1 MiB pieces, so the DNC reader splits and yields piece by piece. */
function* textChunks(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 1 << 20) yield text.slice(i, i + (1 << 20));
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

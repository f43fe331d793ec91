import { setImmediate as nextTurn } from 'node:timers/promises';
import fs from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { openReader } from './open-database.js';
import type { AuctionRow, AuditRow, LeadRow } from './row-mappers.js';
import { AUCTION_COLUMNS } from './row-mappers.js';

export type ExportKind = 'leads' | 'audit' | 'auctions' | 'ledger';

export interface ExportOptions {
  /** Range on received_at / at / started_at: from inclusive, to exclusive (epoch ms). */
  from?: number;
  to?: number;
  out: string;
  onProgress?: (rows: number) => void;
}

type Cell = string | number;

interface ExportSpec<Row> {
  sql: string;
  header: string[];
  toCells: (row: Row) => Cell[];
  /**
   * For a table exported in the order of its integer primary key with the range on another column:
   * the key, read in windows of `KEY_WINDOW` (`@after < key <= @upto` in `sql`), so no single step of
   * the cursor scans far for its next row in range (the first step of a late slice would otherwise
   * scan every row before it, holding the event loop meanwhile).
   */
  key?: { column: string; table: string };
}

const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());
const dollars = (cents: number | null): string => (cents === null ? '' : (cents / 100).toFixed(2));
const text = (v: unknown): string => (v === null || v === undefined ? '' : safeCell(String(v)));

/**
 * A cell a spreadsheet would run as a formula gets a leading quote. Phone numbers and signed numbers
 * are left alone: "+15125550142" is data, "=HYPERLINK(...)" from a lead form is not.
 */
export function safeCell(value: string): string {
  if (/^[=+\-@\t\r]/.test(value) && !/^[+-]?\d[\d\s().-]*$/.test(value)) return `'${value}`;
  return value;
}

const range = (column: string): string => `(@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} < @to)`;

const LEADS: ExportSpec<LeadRow> = {
  sql: `SELECT * FROM leads WHERE ${range('received_at')} ORDER BY received_at, id`,
  header: [
    'id', 'received_at', 'campaign', 'source', 'status', 'test', 'price', 'payout', 'buyer', 'state', 'zip', 'first_name', 'last_name',
    'phone', 'email', 'consent_captured_at', 'consent_sellers', 'trustedform_cert_url', 'erased_at', 'fields_json',
  ],
  toCells(r) {
    const f = JSON.parse(r.fields_json) as LeadFields;
    const c = JSON.parse(r.consent_json) as ConsentRecord;
    return [
      r.id, iso(r.received_at), r.campaign_id, r.source_id, r.status, r.test ? 'true' : 'false', dollars(r.price_cents), dollars(r.payout_cents),
      text(r.buyer_id), text(r.state), text(r.zip), text(f.first_name), text(f.last_name), text(f.phone), text(f.email),
      text(c.captured_at), text((c.sellers ?? []).join('; ')), text(c.trustedform_cert_url), iso(r.erased_at), r.fields_json,
    ];
  },
};

const inWindow = (column: string): string => `${column} > @after AND ${column} <= @upto`;

const AUDIT: ExportSpec<AuditRow> = {
  sql: `SELECT * FROM audit_events WHERE ${inWindow('seq')} AND ${range('at')} ORDER BY seq`,
  key: { column: 'seq', table: 'audit_events' },
  header: ['seq', 'lead_id', 'at', 'type', 'actor', 'data', 'prev_hash', 'hash'],
  toCells: (r) => [r.seq, text(r.lead_id), iso(r.at), r.type, text(r.actor), r.data, r.prev_hash, r.hash],
};

const AUCTIONS: ExportSpec<AuctionRow> = {
  sql: `SELECT ${AUCTION_COLUMNS} FROM auctions WHERE ${range('started_at')} ORDER BY started_at, id`,
  header: [
    'id', 'lead_id', 'campaign', 'source', 'started_at', 'ended_at', 'test', 'status', 'tier_reached', 'winner', 'price', 'payout',
    'margin', 'floor', 'latency_ms', 'reason',
  ],
  toCells: (r) => [
    r.id, r.lead_id, r.campaign_id, r.source_id, iso(r.started_at), iso(r.ended_at), r.test ? 'true' : 'false', r.status, r.tier_reached ?? '',
    text(r.winner_buyer_id), dollars(r.price_cents), dollars(r.payout_cents), dollars(r.margin_cents), dollars(r.floor_cents),
    r.latency_ms ?? '', text(r.reason),
  ],
};

interface LedgerCsvRow {
  id: number; at: number; kind: string; amount_cents: number; party_kind: string; party_id: string; lead_id: string | null; auction_id: string | null; note: string | null; actor: string;
}

/** One row per money movement; `amount` is positive, `balance_effect` signs it for the party's balance. */
const LEDGER: ExportSpec<LedgerCsvRow> = {
  sql: `SELECT * FROM ledger WHERE ${inWindow('id')} AND ${range('at')} ORDER BY id`,
  key: { column: 'id', table: 'ledger' },
  header: ['id', 'at', 'kind', 'amount', 'balance_effect', 'party_kind', 'party', 'lead_id', 'auction_id', 'note', 'actor'],
  toCells: (r) => {
    const effect = r.kind === 'return' || r.kind === 'clawback' ? -r.amount_cents : r.amount_cents;
    return [r.id, iso(r.at), r.kind, dollars(Math.abs(r.amount_cents)), dollars(effect), r.party_kind, r.party_id, text(r.lead_id), text(r.auction_id), text(r.note), text(r.actor)];
  },
};

const SPECS: Record<ExportKind, ExportSpec<never>> = {
  ledger: LEDGER as ExportSpec<never>,
  leads: LEADS as ExportSpec<never>,
  audit: AUDIT as ExportSpec<never>,
  auctions: AUCTIONS as ExportSpec<never>,
};

/** Primary keys per window of a keyed export: a step of its cursor scans at most this many rows. */
const KEY_WINDOW = 4096;
/** Rows written between two turns of the event loop, whether or not the file has fallen behind. */
const ROWS_PER_TURN = 256;

/**
 * Streams one table to a CSV file in constant memory: rows come off a cursor on a separate read-only
 * connection, in one read transaction (one consistent snapshot, and the engine's connection stays
 * free), and wait for the file to drain when it falls behind. The export runs on the engine's event
 * loop, so it gives the loop back every `ROWS_PER_TURN` rows, and reads keyed tables in windows of
 * their primary key: no step holds the loop for more than a few milliseconds.
 */
export async function exportCsv(dbFile: string, kind: ExportKind, opts: ExportOptions): Promise<{ rows: number }> {
  const spec = SPECS[kind] as ExportSpec<unknown>;
  const reader = openReader(dbFile);
  try {
    reader.exec('BEGIN');
    const csv = stringify({ header: true, columns: spec.header });
    const written = pipeline(csv, fs.createWriteStream(opts.out, { mode: 0o600 }));
    // Observed below; this keeps an early file error from being reported as unhandled meanwhile.
    written.catch(() => undefined);
    const statement = reader.prepare(spec.sql);
    const range = { from: opts.from ?? null, to: opts.to ?? null };
    const lastKey = spec.key ? ((reader.prepare(`SELECT MAX(${spec.key.column}) FROM ${spec.key.table}`).pluck().get() as number | null) ?? 0) : 0;
    const windows = function* (): Generator<Record<string, number | null>> {
      if (!spec.key) return yield range;
      for (let after = 0; after < lastKey; after += KEY_WINDOW) yield { ...range, after, upto: after + KEY_WINDOW };
    };
    let rows = 0;
    for (const params of windows()) {
      for (const row of statement.iterate(params)) {
        if (!csv.write(spec.toCells(row))) await Promise.race([once(csv, 'drain'), written]);
        rows++;
        if (rows % ROWS_PER_TURN === 0) await nextTurn();
        if (rows % 10_000 === 0) opts.onProgress?.(rows);
      }
      // A window with no row in range still takes its turn: a slice at the end of a long table is many such windows.
      if (spec.key) await nextTurn();
    }
    csv.end();
    await written;
    opts.onProgress?.(rows);
    return { rows };
  } finally {
    if (reader.inTransaction) reader.exec('COMMIT');
    reader.close();
  }
}

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

const AUDIT: ExportSpec<AuditRow> = {
  sql: `SELECT * FROM audit_events WHERE ${range('at')} ORDER BY seq`,
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
  sql: `SELECT * FROM ledger WHERE ${range('at')} ORDER BY id`,
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

/**
 * Streams one table to a CSV file in constant memory: rows come off a cursor on a separate read-only
 * connection (one consistent snapshot, and the engine's connection stays free) and wait for the file
 * to drain when it falls behind.
 */
export async function exportCsv(dbFile: string, kind: ExportKind, opts: ExportOptions): Promise<{ rows: number }> {
  const spec = SPECS[kind] as ExportSpec<unknown>;
  const reader = openReader(dbFile);
  try {
    const csv = stringify({ header: true, columns: spec.header });
    const written = pipeline(csv, fs.createWriteStream(opts.out, { mode: 0o600 }));
    // Observed below; this keeps an early file error from being reported as unhandled meanwhile.
    written.catch(() => undefined);
    let rows = 0;
    for (const row of reader.prepare(spec.sql).iterate({ from: opts.from ?? null, to: opts.to ?? null })) {
      if (!csv.write(spec.toCells(row))) await Promise.race([once(csv, 'drain'), written]);
      rows++;
      if (rows % 10_000 === 0) opts.onProgress?.(rows);
    }
    csv.end();
    await written;
    opts.onProgress?.(rows);
    return { rows };
  } finally {
    reader.close();
  }
}

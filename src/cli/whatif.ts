import { parseArgs } from 'node:util';
import type { Workspace } from '../shared/domain.js';
import { PingdeskError } from '../shared/errors.js';
import type { TreeChange } from '../shared/tree-change.js';
import type { WhatIfFigures, WhatIfResult } from '../shared/whatif-views.js';
import { runWhatIf } from '../engine/whatif/run-whatif.js';
import { openReadSource, READ_SOURCE_OPTIONS } from './read-source.js';

export const WHATIF_USAGE = `pingdesk whatif --data-dir DIR --campaign ID --floor "TIER NAME=AMOUNT" [--floor ...] [--min-price AMOUNT]
      [--pause BUYER] [--from ISO] [--to ISO] [--json]`;

const DEFAULT_DAYS = 7;

/**
 * `pingdesk whatif`: replays a campaign's recorded auctions on their recorded bids under changed tier
 * floors (and optionally a campaign minimum or paused buyers), and prints before and after. Reads the
 * store read-only, with no folder lock, so it runs beside a serving engine. The window defaults to the
 * last 7 days. Exit 0 with a result, 2 on bad input.
 */
export function runWhatIfCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        ...READ_SOURCE_OPTIONS,
        campaign: { type: 'string' },
        floor: { type: 'string', multiple: true },
        'min-price': { type: 'string' },
        pause: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  const campaignId = values.campaign;
  if (!campaignId || (!values.floor?.length && values['min-price'] === undefined && !values.pause?.length)) return usage('name a --campaign and at least one --floor');
  const source = openReadSource(values);
  if (!source) return usage('name exactly one of --data-dir and --open');
  const { store } = source;
  try {
    const workspace: Workspace = { version: 1, ...store.loadWorkspaceEntities() };
    const to = parseTime(values.to, '--to') ?? Date.now();
    const from = parseTime(values.from, '--from') ?? to - DEFAULT_DAYS * 86_400_000;
    const changes = [
      ...(values.floor ?? []).map((f) => floorChange(workspace, campaignId, f)),
      ...(values['min-price'] === undefined ? [] : [{ kind: 'campaignMinPrice' as const, campaignId, minPrice: parseAmount(values['min-price'], '--min-price') }]),
      ...(values.pause ?? []).map((buyerId) => ({ kind: 'buyerPaused' as const, buyerId, paused: true })),
    ];
    const result = runWhatIf(store, workspace, { campaignId, changes, from, to });
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : describe(result, changes, workspace));
    return 0;
  } catch (err) {
    if (!(err instanceof PingdeskError) || !['validation_failed', 'not_found'].includes(err.code)) throw err;
    process.stderr.write(`pingdesk whatif: ${err.message}\n`);
    for (const d of err.details ?? []) process.stderr.write(`  ${d.field}: ${d.message}\n`);
    return 2;
  } finally {
    store.close();
  }
}

function usage(problem: string): number {
  process.stderr.write(`pingdesk whatif: ${problem}\nUsage: ${WHATIF_USAGE}\n`);
  return 2;
}

/** `"TIER NAME=AMOUNT"`: the tier by its name (exact, else ignoring case), the amount in dollars. */
function floorChange(ws: Workspace, campaignId: string, arg: string): TreeChange {
  const at = arg.lastIndexOf('=');
  if (at <= 0) throw invalid('--floor', `"${arg}" is not TIER NAME=AMOUNT`);
  const name = arg.slice(0, at).trim();
  const campaign = ws.campaigns.find((c) => c.id === campaignId);
  if (!campaign) throw new PingdeskError('not_found', `No campaign "${campaignId}"`);
  let tierIndex = campaign.tiers.findIndex((t) => t.name === name);
  if (tierIndex < 0) tierIndex = campaign.tiers.findIndex((t) => t.name.toLowerCase() === name.toLowerCase());
  if (tierIndex < 0) throw invalid('--floor', `campaign "${campaignId}" has no tier "${name}" (tiers: ${campaign.tiers.map((t) => `"${t.name}"`).join(', ') || 'none'})`);
  return { kind: 'tierFloor', campaignId, tierIndex, floor: parseAmount(arg.slice(at + 1), '--floor') };
}

function parseAmount(text: string, flag: string): number {
  const trimmed = text.trim().replace(/^\$/, '');
  const amount = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(amount) || amount < 0 || amount > 1_000_000 || Math.round(amount * 100) !== amount * 100) {
    throw invalid(flag, `"${text}" is not an amount in dollars (0 to 1000000, at most two decimals)`);
  }
  return amount;
}

function parseTime(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(flag, `"${v}" is not a date or time`);
  return t;
}

function invalid(field: string, message: string): PingdeskError {
  return new PingdeskError('validation_failed', `${field}: ${message}`);
}

const money = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const percent = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** A table for a person: the change, then recorded, today's tree and the changed tree side by side. */
function describe(r: WhatIfResult, changes: readonly TreeChange[], ws: Workspace): string {
  const campaign = ws.campaigns.find((c) => c.id === r.campaignId);
  const lines = [
    `What if, in campaign ${r.campaignId}:`,
    ...changes.map((c) => `  ${describeChange(c, campaign?.tiers.map((t) => ({ name: t.name, floor: t.floor })) ?? [])}`),
    `Replayed ${r.auctions} auctions from ${new Date(r.from).toISOString()} to ${new Date(r.to).toISOString()} on their recorded bids.`,
    '',
  ];
  const rows: Array<[string, (f: WhatIfFigures) => string]> = [
    ['Sold', (f) => String(f.sold)],
    ['Fill rate', (f) => percent(f.fillRate)],
    ['Revenue', (f) => money(f.revenue)],
    ['Payout', (f) => money(f.payout)],
    ['Margin', (f) => money(f.margin)],
  ];
  lines.push(table([['', 'Recorded', 'Before', 'After'], ...rows.map(([label, cell]) => [label, cell(r.recorded), cell(r.before), cell(r.after)])]));
  if (r.tiers.length) {
    lines.push('', table([['Tier', 'Floor', 'Sold before', 'Sold after', 'Revenue before', 'Revenue after'], ...r.tiers.map((t) => [
      t.name, `${t.beforeFloor === null ? '-' : money(t.beforeFloor)} -> ${t.afterFloor === null ? '-' : money(t.afterFloor)}`,
      String(t.before.sold), String(t.after.sold), money(t.before.revenue), money(t.after.revenue),
    ])]));
  }
  if (r.buyers.length) {
    lines.push('', table([['Buyer', 'Sold before', 'Sold after', 'Revenue before', 'Revenue after'], ...r.buyers.map((b) => [
      b.name, String(b.before.sold), String(b.after.sold), money(b.before.revenue), money(b.after.revenue),
    ])]));
  }
  lines.push('', 'What the record cannot say:', ...r.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

function describeChange(c: TreeChange, tiers: Array<{ name: string; floor: number }>): string {
  switch (c.kind) {
    case 'tierFloor': {
      const tier = tiers[c.tierIndex];
      return `${tier?.name ?? `tier ${c.tierIndex + 1}`} floor ${tier ? money(tier.floor) : '?'} -> ${money(c.floor)}`;
    }
    case 'campaignMinPrice':
      return `campaign minimum -> ${money(c.minPrice)}`;
    case 'buyerPaused':
      return `${c.paused ? 'pause' : 'resume'} buyer ${c.buyerId}`;
    default:
      return c.kind;
  }
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

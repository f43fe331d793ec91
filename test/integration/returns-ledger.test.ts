import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/index.js';
import type { LedgerEntryView, PartyBalanceView, ReturnView, RevenueSummary } from '../../src/shared/ledger-views.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';
import { pingdeskAsync } from './fixtures/serve-process.js';

const ACME_KEY = 'buy_acme_key_123';
const BOLT_KEY = 'buy_bolt_key_123';
const DAY = 86_400_000;
const ALL = { from: 0, to: Date.now() + 400 * DAY };

const rig = useTestRig();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

async function sell(h: TestEngine, n: number): Promise<Array<{ id: string; phone: string }>> {
  const sold = [];
  for (let i = 0; i < n; i++) {
    const body = leadBody();
    const res = await h.sendLead(body);
    expect(res.body).toMatchObject({ status: 'sold', price: 21 });
    sold.push({ id: res.body.lead_id as string, phone: body.fields.phone });
  }
  return sold;
}

const ret = (h: TestEngine, leadId: string, key = ACME_KEY, reason?: string) => h.post('/v1/feedback', { lead_id: leadId, event: 'returned', ...(reason ? { reason } : {}) }, { key });
const kindsOf = (rows: LedgerEntryView[], leadId: string) => rows.filter((r) => r.leadId === leadId).map((r) => `${r.kind}:${r.partyId}:${r.amount}`).sort();

describe('returns and the money ledger', () => {
  it('approves returns under the rate, holds those over it for the operator, claws the payout back and keeps the ledger equal to the reports', async () => {
    const acme = await rig.buyer(() => ({ bid: 30 }));
    const bolt = await rig.buyer(() => ({ bid: 25 }));
    const workspace = workspaceOf(
      autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }, { name: 'Tier 2', floor: 5, buyers: ['bolt'] }]),
      [buyerFor(acme, 'acme', { apiKey: ACME_KEY, returns: { windowDays: 30, maxRatePercent: 50 } }), buyerFor(bolt, 'bolt', { apiKey: BOLT_KEY })],
      { clawback: true },
    );
    const dir = makeDataDir();
    dirs.push(dir);
    let h = await startTestEngine({ workspace, dir });
    const leads = await sell(h, 4);

    // Every sale books the buyer's sale and the source's payout.
    const booked = await h.call<LedgerEntryView[]>('ledger.entries', ALL);
    for (const l of leads) expect(kindsOf(booked, l.id)).toEqual(['payout:pub-1:21', 'sale:acme:30']);

    // 1/4 and 2/4 returned stay within 50%: approved at once; the buyer's words are masked.
    const first = await ret(h, leads[0].id, ACME_KEY, `consumer ${leads[0].phone} says wrong number`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'approved' });
    expect((await ret(h, leads[1].id)).body).toMatchObject({ status: 'approved' });
    // A third would be 75%: pending for the operator, and asking again gets the same answer.
    const third = await ret(h, leads[2].id);
    expect(third.body).toMatchObject({ status: 'pending', reason: expect.stringContaining('maximum return rate') });
    expect((await ret(h, leads[2].id)).body).toMatchObject({ status: 'pending' });
    // Another buyer's lead, or no lead at all: 404.
    expect((await ret(h, leads[3].id, BOLT_KEY)).status).toBe(404);
    expect((await ret(h, 'L-nope')).status).toBe(404);

    const stored = await h.call<ReturnView[]>('returns.list', {});
    expect(stored.find((r) => r.leadId === leads[0].id)?.reason).not.toContain(leads[0].phone.slice(-7));
    expect(stored.find((r) => r.leadId === leads[0].id)).toMatchObject({ status: 'approved', clawback: 21, decidedBy: 'policy' });
    const afterPolicy = await h.call<LedgerEntryView[]>('ledger.entries', ALL);
    expect(kindsOf(afterPolicy, leads[0].id)).toEqual(['clawback:pub-1:21', 'payout:pub-1:21', 'return:acme:30', 'sale:acme:30']);
    expect(kindsOf(afterPolicy, leads[2].id)).toEqual(['payout:pub-1:21', 'sale:acme:30']);

    // The operator approves the pending one through the ConsoleApi (a second decision is refused).
    const pending = await h.call<ReturnView[]>('returns.list', { status: 'pending' });
    expect(pending.map((r) => r.leadId)).toEqual([leads[2].id]);
    const decided = await h.call<{ decided: ReturnView[]; failed: unknown[] }>('returns.decide', { leadIds: [leads[2].id, leads[0].id], decision: 'approved', reason: 'checked the recording' }, 'console:browser');
    expect(decided.decided).toEqual([expect.objectContaining({ leadId: leads[2].id, status: 'approved', decidedBy: 'console:browser', decisionNote: 'checked the recording' })]);
    expect(decided.failed).toEqual([{ leadId: leads[0].id, message: expect.stringContaining('already approved') }]);
    expect(kindsOf(await h.call<LedgerEntryView[]>('ledger.entries', ALL), leads[2].id)).toEqual(['clawback:pub-1:21', 'payout:pub-1:21', 'return:acme:30', 'sale:acme:30']);
    expect((await h.call<Array<{ type: string; actor: string }>>('leads.get', { id: leads[2].id }).then((d: unknown) => (d as { trail: Array<{ type: string; actor: string }> }).trail)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['sold', 'return', 'return_decided']),
    );

    // A manual adjustment with a note moves the source's balance.
    await h.call('ledger.adjust', { partyKind: 'source', partyId: 'pub-1', amount: -1.5, note: 'late fee' });
    // Erasing the consumer blanks the buyer's words on the return; the money stays booked.
    await h.call('leads.erase', { id: leads[0].id });
    expect((await h.call<ReturnView[]>('returns.list', {})).find((r) => r.leadId === leads[0].id)).toMatchObject({ status: 'approved', reason: null });

    // The ledger's sums are the reports' figures, also after a restart.
    await h.close();
    h = await startTestEngine({ workspace, dir });
    const overview = await h.call<{ revenue: number; payout: number; margin: number }>('overview.get', ALL);
    const summary = await h.call<RevenueSummary>('ledger.summary', ALL);
    const returns = (await h.call<ReturnView[]>('returns.list', { status: 'approved' })).reduce((s, r) => s + r.price, 0);
    const clawed = (await h.call<ReturnView[]>('returns.list', { status: 'approved' })).reduce((s, r) => s + r.clawback, 0);
    expect(summary).toEqual({
      grossRevenue: overview.revenue, returns, netRevenue: overview.revenue - returns, payouts: overview.payout, clawbacks: clawed,
      netPayouts: overview.payout - clawed, adjustments: -1.5, margin: overview.margin - returns + clawed,
    });
    expect(summary).toMatchObject({ grossRevenue: 120, returns: 90, netRevenue: 30, payouts: 84, clawbacks: 63, margin: 9 });
    const balances = await h.call<PartyBalanceView[]>('ledger.balances', ALL);
    expect(balances).toEqual([
      expect.objectContaining({ partyKind: 'buyer', partyId: 'acme', balance: 30 }),
      expect.objectContaining({ partyKind: 'source', partyId: 'pub-1', balance: 19.5 }),
    ]);
    const statement = await h.call<{ total: number; csv: string }>('ledger.statement', { ...ALL, partyKind: 'source', partyId: 'pub-1' });
    expect(statement.total).toBe(19.5);
    expect(statement.csv.trim().split('\n').at(-1)).toBe('total,,,19.50,,,');
    await h.close();

    // `pingdesk export ledger` in its own process: one row per movement, amounts positive.
    const out = path.join(dir, 'ledger.csv');
    const run = await pingdeskAsync('export', 'ledger', '--data-dir', dir, '--out', out);
    expect(run.code, run.err).toBe(0);
    const [header, ...rows] = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split(','));
    for (const col of ['kind', 'amount', 'lead_id', 'party_kind', 'party']) expect(header).toContain(col);
    const cell = (r: string[], c: string) => r[header.indexOf(c)];
    expect(rows).toHaveLength(8 + 6 + 1);
    expect(rows.filter((r) => cell(r, 'kind') === 'sale').reduce((s, r) => s + Number(cell(r, 'amount')), 0)).toBe(120);
    expect(rows.filter((r) => cell(r, 'kind') === 'adjustment').map((r) => cell(r, 'amount'))).toEqual(['1.50']);
    expect(rows.every((r) => Number(cell(r, 'amount')) > 0)).toBe(true);

    // The ledger is append-only in the file itself: UPDATE and DELETE are refused, INSERT works.
    const db = new Database(databasePath(dir));
    try {
      expect(() => db.prepare('UPDATE ledger SET amount_cents = 1 WHERE id = 1').run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM ledger WHERE id = 1').run()).toThrow(/append-only/);
      db.prepare("INSERT INTO ledger (at, kind, amount_cents, party_kind, party_id, actor) VALUES (1, 'adjustment', 100, 'buyer', 'acme', 'test')").run();
      expect((db.prepare('SELECT COUNT(*) AS n, SUM(amount_cents) AS s FROM ledger WHERE kind = ?').get('sale') as { n: number; s: number })).toEqual({ n: 4, s: 12_000 });
    } finally {
      db.close();
    }
  });

  it('refuses returns outside the window, takes no payout back without clawback, and lets the operator refuse', async () => {
    const acme = await rig.buyer(() => ({ bid: 30 }));
    let offset = 0;
    const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [
      buyerFor(acme, 'acme', { apiKey: ACME_KEY, returns: { windowDays: 1, maxRatePercent: 60 } }),
    ]);
    const h = await rig.engine({ workspace, now: () => Date.now() + offset });
    const leads = await sell(h, 3);
    expect((await ret(h, leads[0].id)).body).toMatchObject({ status: 'approved' });
    expect((await ret(h, leads[1].id)).body).toMatchObject({ status: 'pending' });
    const entries = await h.call<LedgerEntryView[]>('ledger.entries', ALL);
    expect(kindsOf(entries, leads[0].id)).toEqual(['payout:pub-1:21', 'return:acme:30', 'sale:acme:30']);

    const refused = await h.call<{ decided: ReturnView[] }>('returns.decide', { leadIds: [leads[1].id], decision: 'refused', reason: 'lead was contacted' });
    expect(refused.decided).toEqual([expect.objectContaining({ status: 'refused', decisionNote: 'lead was contacted' })]);
    expect(kindsOf(await h.call<LedgerEntryView[]>('ledger.entries', ALL), leads[1].id)).toEqual(['payout:pub-1:21', 'sale:acme:30']);
    expect((await ret(h, leads[1].id)).body).toMatchObject({ status: 'refused' });

    offset = 2 * DAY;
    const late = await ret(h, leads[2].id);
    expect(late.body).toMatchObject({ status: 'refused', reason: expect.stringContaining('1-day return window') });
    expect(kindsOf(await h.call<LedgerEntryView[]>('ledger.entries', ALL), leads[2].id)).toEqual(['payout:pub-1:21', 'sale:acme:30']);
  });

  it('books the sale and the payout when an operator settles an unconfirmed lead as sold', async () => {
    const acme = await rig.buyer(() => ({ bid: 30, postStatus: 500 }));
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(acme, 'acme', { apiKey: ACME_KEY })]) });
    const res = await h.sendLead(leadBody());
    expect(res.body).toMatchObject({ status: 'unsold', reason: 'unconfirmed' });
    const leadId = res.body.lead_id as string;
    expect(kindsOf(await h.call<LedgerEntryView[]>('ledger.entries', ALL), leadId)).toEqual([]);
    await h.call('leads.settle', { leadId, outcome: 'sold' }, 'console:browser');
    const rows = (await h.call<LedgerEntryView[]>('ledger.entries', ALL)).filter((r) => r.leadId === leadId);
    expect(rows.map((r) => `${r.kind}:${r.partyId}:${r.amount}:${r.actor}`).sort()).toEqual(['payout:pub-1:21:console:browser', 'sale:acme:30:console:browser']);
    expect(new Set(rows.map((r) => r.auctionId)).size).toBe(1);
  });
});

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

test.describe.configure({ mode: 'serial' });

let exchange: Exchange;

// Acme $18 and Bolt $15 fall under Tier 1's $20 floor, so Cheap's $8 in Tier 2 takes every lead.
test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 18 }, bolt: { bid: 15 }, cheap: { bid: 8 } });
  for (const n of [1, 2]) {
    const answer = await sendLead(exchange.console.intakeUrl, leadBody(n), SOURCE_KEY);
    expect(answer.body).toMatchObject({ status: 'sold', price: 5.6 });
  }
});

test.afterAll(async () => {
  await exchange?.close();
});

test('a what-if on a tier floor shows before and after, and Apply changes the floor with the replay in the audit trail', async ({ page }) => {
  await page.goto(`${exchange.console.url}#/tiers`);
  await expect(page.getByTestId('tier-floor-0')).toContainText('$20.00');
  await page.getByTestId('tier-whatif-0').click();

  const panel = page.getByTestId('whatif-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('whatif-amount').fill('15');
  await panel.getByTestId('whatif-add').click();
  await expect(panel.getByTestId('whatif-changes')).toContainText('Tier 1 floor $20.00 → $15.00');
  await expect(panel.getByTestId('whatif-apply')).toBeDisabled();
  await panel.getByTestId('whatif-run').click();

  // Recorded and today's tree: 2 sold for $16; at $15 Acme's $18 wins both: $36. Acme was never posted to.
  await expect(panel.getByTestId('whatif-row-revenue')).toContainText('$16.00');
  await expect(panel.getByTestId('whatif-row-revenue')).toContainText('$36.00');
  await expect(panel.getByTestId('whatif-row-sold')).toHaveText(/Sold\s*2\s*2\s*2/);
  await expect(panel.getByTestId('whatif-unknowns')).toContainText('2 auction(s) would sell to a buyer never posted the lead');
  await expect(panel.getByTestId('whatif-buyers')).toContainText('Acme Insurance');
  await page.screenshot({ path: screenshotPath('whatif') });

  await panel.getByTestId('whatif-apply').click();
  await panel.getByTestId('whatif-confirm-apply').click();
  await expect(panel).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'Applied: Tier 1 floor $20.00 → $15.00' })).toBeVisible();
  await expect(page.getByTestId('tier-floor-0')).toContainText('$15.00');

  // The next lead follows the new floor: Acme's $18 wins (the source gets 70%).
  const answer = await sendLead(exchange.console.intakeUrl, leadBody(3), SOURCE_KEY);
  expect(answer.body).toMatchObject({ status: 'sold', price: 12.6 });

  // Consent & audit lists the change with the replay it was priced with.
  await page.evaluate(() => (window.location.hash = '#/audit'));
  await expect(page.getByTestId('config-change').filter({ hasText: 'applied from a what-if' }).first()).toContainText('replayed on 2 auctions: revenue $16.00 → $36.00');

  // The trail keeps the change with the replay it was priced with.
  const db = new Database(join(exchange.console.dataDir, 'pingdesk.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT actor, data FROM audit_events WHERE type = 'config' ORDER BY seq").all() as Array<{ actor: string; data: string }>;
    const applied = rows.map((r) => ({ actor: r.actor, data: JSON.parse(r.data) })).find((r) => r.data.action === 'tree_changes');
    expect(applied).toMatchObject({
      actor: 'console:browser',
      data: { kind: 'tiers', id: 'auto-insurance', changes: [{ kind: 'tierFloor', tierIndex: 0, floor: 15 }], whatif: { auctions: 2, before: { sold: 2, revenue: 16 }, after: { sold: 2, revenue: 36 } } },
    });
  } finally {
    db.close();
  }
});

test('the price-reject report on Reports lists the bids the floor refused', async ({ page }) => {
  await page.goto(`${exchange.console.url}#/reports`);
  const table = page.getByTestId('price-rejects-table');
  const acme = table.getByTestId('price-rejects-row').filter({ hasText: 'Acme Insurance' });
  // Two of Acme's $18 bids met the $20 floor (gap $2); the third met $15 and won.
  await expect(acme).toContainText('Tier 1');
  await expect(acme).toContainText('$2.00');
  await expect(table.getByTestId('price-rejects-row').filter({ hasText: 'Bolt Auto' })).toContainText('$5.00');
});

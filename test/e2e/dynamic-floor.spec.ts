import { expect, test } from '@playwright/test';
import { type Exchange, leadBody, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let exchange: Exchange;

test.beforeAll(async () => {
  // Acme's $30 wins every lead in Tier 1 (floor $20).
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  for (let n = 1; n <= 3; n++) expect((await sendLead(exchange.console.intakeUrl, leadBody(n), SOURCE_KEY)).body).toMatchObject({ status: 'sold' });
});

test.afterAll(async () => {
  await exchange?.close();
});

test('a dynamic floor turned on follows the winning bids, shows its change on the tree and in the audit screen, and stops when off', async ({ page }) => {
  await page.goto(`${exchange.console.url}#/tiers`);
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $20.00');

  await page.getByTestId('dynamic-floor-edit-0').click();
  const dialog = page.getByTestId('dynamic-floor-dialog');
  await dialog.getByTestId('dynamic-floor-percentile').fill('50');
  await dialog.getByTestId('dynamic-floor-minSamples').fill('3');
  await dialog.getByTestId('dynamic-floor-min').fill('20');
  await dialog.getByTestId('dynamic-floor-max').fill('40');
  await dialog.getByTestId('dynamic-floor-maxStep').fill('2');
  await dialog.getByTestId('dynamic-floor-intervalSeconds').fill('1');
  await dialog.getByTestId('dynamic-floor-save').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('dynamic-floor-badge-0')).toHaveText('dynamic');

  // The median of three $30 sales is $30: $2 a second from $20, it lands there and stays.
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $30.00', { timeout: 30_000 });
  await expect(page.getByTestId('dynamic-floor-last-0')).toContainText('$28.00 → $30.00', { timeout: 10_000 });

  await page.goto(`${exchange.console.url}#/audit`);
  const panel = page.getByTestId('config-changes');
  await panel.getByTestId('config-changes-dynamic').check();
  const rows = panel.locator('[data-testid="config-change"][data-reason="dynamicFloor"]');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText('engine:dynamic-floor');
  await expect(rows.first()).toContainText('Tier 1 floor $28.00 → $30.00 (dynamic: P50 of 3 winning bids = $30.00)');
  await expect(rows.last()).toContainText('Tier 1 floor $20.00 → $22.00');
  await expect(rows.last()).toContainText('step limit');

  // Off: the floor stays where it is.
  await page.goto(`${exchange.console.url}#/tiers`);
  await page.getByTestId('dynamic-floor-edit-0').click();
  await page.getByTestId('dynamic-floor-enabled').uncheck();
  await page.getByTestId('dynamic-floor-save').click();
  await expect(page.getByTestId('dynamic-floor-badge-0')).toHaveText('dynamic off');
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $30.00');
});

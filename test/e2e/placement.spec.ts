import { expect, test } from '@playwright/test';
import { type Exchange, leadBody, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
});

test.afterAll(async () => {
  await exchange?.close();
});

test('a placement policy set in the campaign editor proposes a move on the Ping tree, with its evidence, and one click applies it', async ({ page }) => {
  const { url, intakeUrl } = exchange.console;
  await page.goto(`${url}#/campaigns`);
  const policy = page.getByTestId('placement-policy');
  await expect(policy).toBeVisible();
  await policy.getByTestId('field-tierPlacement.mode').selectOption('suggest');
  await policy.getByTestId('field-tierPlacement.promoteConversionPercent').fill('50');
  await policy.getByTestId('field-tierPlacement.demoteConversionPercent').fill('50');
  await policy.getByTestId('field-tierPlacement.minSamples').fill('2');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Acme ($30) wins both leads in tier 1; it reports no conversion, so 0% of 2 sales is under 50%.
  for (const n of [1, 2]) expect((await sendLead(intakeUrl, leadBody(n), SOURCE_KEY)).body).toMatchObject({ status: 'sold', price: 21 });

  await page.evaluate(() => (window.location.hash = '#/tiers'));
  const panel = page.getByTestId('placement-panel');
  await expect(panel.getByTestId('placement-mode')).toContainText('Suggest');
  const move = panel.getByTestId('placement-move-acme');
  await expect(move).toContainText('Tier 1 → Tier 2');
  await expect(move).toContainText('conversion 0% is below 50% over 2 sales');
  await expect(page.getByTestId('tier-0').getByTestId('tier-card-acme').getByTestId('card-campaign-signals')).toContainText('2 sold');

  // Preview opens the what-if replay with the proposed move already picked.
  await move.getByTestId('placement-preview').click();
  const whatif = page.getByTestId('whatif-panel');
  await expect(whatif.getByTestId('whatif-changes')).toContainText(/Move .* to Tier 2/);
  await whatif.getByTestId('whatif-run').click();
  await expect(whatif.getByTestId('whatif-apply')).toBeEnabled();
  await page.keyboard.press('Escape');
  await expect(whatif).toHaveCount(0);
  await move.getByTestId('placement-apply').click();
  await expect(page.getByTestId('tier-1').getByTestId('tier-card-acme')).toBeVisible();
  await expect(page.getByTestId('tier-0').getByTestId('tier-card-acme')).toHaveCount(0);
  await expect(panel.getByTestId('placement-moves')).toContainText('1 move(s) in the last 7 days');
  await expect(panel.getByTestId('placement-move-acme')).toHaveCount(0);

  // The next lead goes to Bolt, now alone in tier 1.
  expect((await sendLead(intakeUrl, leadBody(3), SOURCE_KEY)).body).toMatchObject({ status: 'sold', price: 16.8 });

  // The source's own figures on the campaign: three leads, all sold, at $30, $30 and $24.
  await page.evaluate(() => (window.location.hash = '#/sources/pub-1'));
  const figures = page.getByTestId('source-campaign-auto-insurance');
  await expect(figures).toContainText('$28.00');
  await expect(figures.locator('td').nth(1)).toHaveText('3');
  // And Acme's per-campaign figures on its buyer page.
  await page.evaluate(() => (window.location.hash = '#/buyers/acme'));
  await expect(page.getByTestId('buyer-campaign-auto-insurance')).toContainText('0.0%');
});

import { expect, test } from '@playwright/test';
import { variantOf } from '../../src/engine/auction/choose-variant.js';
import { type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
});

test.afterAll(async () => {
  await exchange?.close();
});

const dollars = (n: number) => `$${n.toFixed(2)}`;

test('an operator starts an A/B test with a higher floor, reads each variant’s revenue, and promotes B in one click', async ({ page }) => {
  const { console: app } = exchange;
  await page.goto(`${app.url}#/tiers`);
  const panel = page.getByTestId('ab-panel');
  await expect(panel).toBeVisible();

  // Variant B: tier 1's floor at $35, above Acme's $30 and Bolt's $24, so B's leads fall to Cheap's $8 in tier 2.
  await panel.getByTestId('ab-start').click();
  const dialog = page.getByTestId('ab-start-dialog');
  await expect(dialog.getByTestId('ab-tier-floor-0')).toHaveValue('20.00');
  await dialog.getByTestId('ab-name').fill('tier-1-at-35');
  await dialog.getByTestId('ab-tier-floor-0').fill('35');
  await dialog.getByTestId('ab-start-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('toast').filter({ hasText: 'A/B test "tier-1-at-35" started' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'A/B test: tier-1-at-35' })).toBeVisible();

  const count = { A: 0, B: 0 };
  for (let n = 1; n <= 8; n++) {
    const answer = await sendLead(app.intakeUrl, leadBody(n), SOURCE_KEY);
    expect(answer.status).toBe(200);
    const variant = variantOf('tier-1-at-35', String(answer.body.lead_id), 50);
    // The source is paid 70%: $21 on Acme's $30 (A), $5.60 on Cheap's $8 (B).
    expect(answer.body).toMatchObject({ status: 'sold', price: variant === 'A' ? 21 : 5.6 });
    count[variant] += 1;
  }

  // The report refreshes on its own while the test runs.
  await expect(panel.getByTestId('ab-leads-A')).toHaveText(String(count.A));
  await expect(panel.getByTestId('ab-leads-B')).toHaveText(String(count.B));
  await expect(panel.getByTestId('ab-revenue-A')).toHaveText(dollars(30 * count.A));
  await expect(panel.getByTestId('ab-revenue-B')).toHaveText(dollars(8 * count.B));
  await expect(panel.getByTestId('ab-summary')).toContainText('Not enough evidence yet');
  await page.screenshot({ path: screenshotPath('abtest'), fullPage: true });

  await panel.getByTestId('ab-promote-b').click();
  const confirm = page.getByTestId('ab-end-dialog');
  await expect(confirm).toContainText('Variant B’s tiers replace the campaign’s tiers');
  await confirm.getByTestId('ab-end-confirm').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Variant B promoted' })).toBeVisible();
  await expect(page.getByTestId('tier-floor-0')).toContainText('$35.00');
  await expect(panel.getByTestId('ab-start')).toBeVisible();
  await expect(panel).toContainText('Last test: “tier-1-at-35” (ended)');

  // The promoted tree decides every lead now.
  const after = await sendLead(app.intakeUrl, leadBody(9), SOURCE_KEY);
  expect(after.body).toMatchObject({ status: 'sold', price: 5.6 });
});

import { expect, test } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;
const sold: string[] = [];

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 40 }, bolt: { bid: 26 }, cheap: { bid: 7 } });
  consoleApp = exchange.console;
  for (let i = 1; i <= 2; i++) {
    const answer = await sendLead(consoleApp.intakeUrl, leadBody(300 + i), SOURCE_KEY);
    expect(answer.body).toMatchObject({ status: 'sold' });
    sold.push(String(answer.body.lead_id));
  }
  // Acme has no returns policy: its request waits for the operator.
  const res = await fetch(`${consoleApp.intakeUrl}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer buy_acme_key' },
    body: JSON.stringify({ lead_id: sold[0], event: 'returned', reason: 'disconnected number' }),
  });
  expect(await res.json()).toMatchObject({ status: 'pending' });
});

test.afterAll(async () => {
  await exchange?.close();
});

test('a pending return is approved from the Returns screen and the statement shows net revenue', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/returns`);
  const row = page.getByTestId('return-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('disconnected number');
  await row.getByRole('checkbox').check();
  await page.getByTestId('returns-reason').fill('confirmed with the buyer');
  await page.screenshot({ path: screenshotPath('returns-pending'), fullPage: true });
  await page.getByTestId('returns-approve').click();
  await expect(page.getByTestId('return-row')).toHaveCount(0);
  await page.getByTestId('returns-status').selectOption('approved');
  await expect(page.getByTestId('return-row')).toContainText('confirmed with the buyer');

  await page.goto(`${consoleApp.url}#/reports`);
  const panel = page.getByTestId('statements');
  await expect(panel.getByTestId('net-revenue')).toContainText('$40.00');
  await panel.getByRole('row', { name: /acme/ }).getByRole('button', { name: 'Statement' }).click();
  await expect(page.getByTestId('statement')).toContainText('return');
  await page.screenshot({ path: screenshotPath('statement'), fullPage: true });
});

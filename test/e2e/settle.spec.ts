import { expect, test } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;
let leadId = '';

test.beforeAll(async () => {
  // Acme bids highest and answers its post with a 500: it may hold the lead, so Bolt never gets it.
  exchange = await startExchange({ acme: { bid: 40, postStatus: 500 }, bolt: { bid: 26 }, cheap: { bid: 7 } });
  consoleApp = exchange.console;
  const answer = await sendLead(consoleApp.intakeUrl, leadBody(1), SOURCE_KEY);
  expect(answer.body).toMatchObject({ status: 'unsold', reason: 'unconfirmed' });
  leadId = String(answer.body.lead_id);
  expect(exchange.bolt.posts()).toHaveLength(0);
});

test.afterAll(async () => {
  await exchange?.close();
});

test('an unconfirmed lead says who may hold it and is settled sold after a confirmation', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  await expect(page.getByTestId('live-status').filter({ hasText: 'unconfirmed' })).toHaveCount(1);

  await page.goto(`${consoleApp.url}#/leads/${leadId}`);
  const panel = page.getByTestId('settle-panel');
  await expect(page.getByTestId('settle-message')).toContainText('Acme Insurance may hold this lead: its post ended without a clear answer (HTTP 500)');
  await page.screenshot({ path: screenshotPath('lead-unconfirmed'), fullPage: true });

  await panel.getByTestId('settle-sold').click();
  const dialog = page.getByTestId('settle-dialog');
  await expect(dialog).toContainText('its caps and budget are charged');
  await dialog.getByTestId('confirm-settle').click();
  await expect(panel).toHaveCount(0);
  await expect(page.locator('h1 .badge').first()).toHaveText('sold');
  await expect(page.getByTestId('lead-trail').locator('[data-type="settled"]')).toHaveCount(1);
  await expect(page.getByTestId('lead-record')).toContainText('Acme Insurance');
});

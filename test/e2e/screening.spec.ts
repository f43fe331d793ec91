import { expect, test } from '@playwright/test';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { startVendor, vendorAnswers, type TestVendor } from '../support/screen-vendor.js';
import { type ConsoleHandle, exchangeWorkspace, leadBody, screenshotPath, sendLead, SOURCE_KEY, startConsole } from './harness.js';

test.describe.configure({ mode: 'serial' });

const TRESTLE_KEY = 'trestle-e2e-secret-key';
let buyers: TestBuyer[] = [];
let trestle: TestVendor;
let consoleApp: ConsoleHandle;

test.beforeAll(async () => {
  buyers = await Promise.all([startBuyer({ bid: 30 }), startBuyer({ bid: 24 }), startBuyer({ bid: 8 })]);
  // A Trestle-shaped vendor on loopback that finds every phone barely active.
  trestle = await startVendor(vendorAnswers.trestle(12));
  const workspace = exchangeWorkspace({ acme: buyers[0], bolt: buyers[1], cheap: buyers[2] }) as { campaigns: Array<Record<string, unknown>> };
  workspace.campaigns[0].screening = [{ type: 'trestle', url: trestle.url, apiKey: TRESTLE_KEY, action: 'reject', timeoutMs: 2000, minActivityScore: 40 }];
  consoleApp = await startConsole({ workspace });
});

test.afterAll(async () => {
  await consoleApp?.close();
  await trestle?.close();
  await Promise.all(buyers.map((b) => b.close()));
});

test('a screening check is edited in the campaign editor, and the lead page shows what it found', async ({ page }) => {
  // As configured: rejected, answered 422 screened_out, no buyer pinged.
  const refused = await sendLead(consoleApp.intakeUrl, leadBody(1), SOURCE_KEY);
  expect(refused.status).toBe(422);
  expect(refused.body.error).toBe('screened_out');
  expect(buyers[0].requests).toHaveLength(0);

  await page.goto(`${consoleApp.url}#/campaigns`);
  const rowOf = page.getByTestId('screening-row-trestle');
  await expect(rowOf).toBeVisible();
  // The key is write-only: the field is empty and the page never holds it.
  await expect(rowOf.getByRole('textbox', { name: /API key/ })).toHaveValue('');
  expect(await page.content()).not.toContain(TRESTLE_KEY);
  await rowOf.getByRole('combobox', { name: /on failure/ }).selectOption('flag');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // Now flagged, not refused; the stored key still goes to the vendor.
  const sold = await sendLead(consoleApp.intakeUrl, leadBody(2), SOURCE_KEY);
  expect(sold.body).toMatchObject({ status: 'sold' });
  expect(trestle.requests.at(-1)?.headers['x-api-key']).toBe(TRESTLE_KEY);

  await page.goto(`${consoleApp.url}#/leads/${String(sold.body.lead_id)}`);
  const panel = page.getByTestId('lead-screening');
  await expect(panel.getByTestId('screening-trestle')).toContainText('LOW_ACTIVITY');
  await expect(panel.getByTestId('screening-trestle')).toContainText('12');
  await expect(panel.getByTestId('screening-trestle')).toContainText('flag');
  await page.screenshot({ path: screenshotPath('lead-screening'), fullPage: false });

  await page.goto(`${consoleApp.url}#/leads/${String(refused.body.lead_id)}`);
  await expect(page.getByTestId('lead-screen')).toContainText('screened_out');
  await expect(page.getByTestId('screening-trestle')).toContainText('reject');
});

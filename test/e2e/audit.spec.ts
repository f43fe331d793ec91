import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { verifyBundle } from '../../src/engine/evidence/verify-bundle.js';
import { CONSENT_TEXT, type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  // Acme bids highest but rejects the post: the full record then goes to Bolt, and only to Bolt after it accepts.
  exchange = await startExchange({ acme: { bid: 40, postAccept: false, postReason: 'duplicate in our CRM' }, bolt: { bid: 26 }, cheap: { bid: 7 } });
  consoleApp = exchange.console;
  for (let n = 1; n <= 3; n++) await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
});

test.afterAll(async () => {
  await exchange?.close();
});

test('a lead is found by phone in Consent & audit with its consent, trail and who got the data', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('audit-search').fill('(512) 555-1002');
  await page.getByTestId('audit-search').press('Enter');
  const results = page.getByTestId('audit-result');
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText('sold');
  await page.screenshot({ path: screenshotPath('audit') });

  await results.first().click();
  await expect(page).toHaveURL(/#\/leads\//);
  const consent = page.getByTestId('lead-consent');
  await expect(consent.getByTestId('consent-text')).toHaveText(CONSENT_TEXT);
  await expect(consent.getByTestId('consent-sellers')).toHaveText('Acme Insurance, Bolt Auto, Cheap Leads');
  await expect(consent.getByTestId('consent-trustedform')).toContainText('https://cert.trustedform.com/e2e2');
  await expect(consent).toContainText('203.0.113.7');

  const trail = page.getByTestId('lead-trail');
  for (const type of ['received', 'validated', 'eligible', 'ping', 'winner', 'post', 'sold']) {
    await expect(trail.locator(`[data-type="${type}"]`).first()).toBeVisible();
  }
  // Bolt accepted in tier 1, so one ping event: the tier round, naming both of its buyers with their answers.
  const round = trail.locator('[data-type="ping"]');
  await expect(round).toHaveCount(1);
  await expect(round.getByTestId('event-ping-outcome')).toHaveCount(2);
  await expect(round.getByTestId('event-ping-outcome').filter({ hasText: 'Acme Insurance' })).toContainText('BID $40.00');
  await expect(round.getByTestId('event-ping-outcome').filter({ hasText: 'Bolt Auto' })).toContainText('BID $26.00');
  await expect(page.getByTestId('lead-deliveries')).toContainText('Pinged with non-contact fields only: Acme Insurance, Bolt Auto.');
  await expect(trail.locator('[data-type="post"]').filter({ hasText: 'POST_REJECTED' })).toHaveCount(1);
  await expect(trail.locator('[data-type="post"]').filter({ hasText: 'ACCEPTED' })).toHaveCount(1);

  const deliveries = page.getByTestId('delivery-row');
  await expect(deliveries).toHaveCount(2);
  await expect(deliveries.nth(0)).toContainText('Acme Insurance');
  await expect(deliveries.nth(0)).toContainText('POST_REJECTED');
  await expect(deliveries.nth(1)).toContainText('Bolt Auto');
  await expect(deliveries.nth(1)).toContainText('ACCEPTED');
  await expect(page.getByTestId('lead-record')).toContainText('ana.2@example.com');
  await page.screenshot({ path: screenshotPath('lead'), fullPage: true });
});

test('a lead is found by email and by its id', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('audit-search').fill('ANA.3@example.com');
  await page.getByTestId('audit-search-button').click();
  await expect(page.getByTestId('audit-result')).toHaveCount(1);
  const id = (await page.getByTestId('audit-result').first().locator('.mono').first().textContent())?.trim() ?? '';
  expect(id).not.toBe('');

  await page.getByTestId('audit-search').fill(id);
  await page.getByTestId('audit-search').press('Enter');
  await expect(page.getByTestId('audit-result')).toHaveCount(1);
  await expect(page.getByTestId('audit-result').first()).toContainText(id);

  await page.getByTestId('audit-search').fill('+15559990000');
  await page.getByTestId('audit-search').press('Enter');
  await expect(page.getByTestId('audit-count')).toHaveText('0 leads');
});

test('verify reports the trail intact with the number of events checked', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('verify-button').click();
  const result = page.getByTestId('verify-result');
  await expect(result).toContainText('Intact');
  const count = Number((await result.textContent())?.match(/([\d,]+) events verified/)?.[1].replace(/,/g, ''));
  // Three leads, each with at least received, validated, eligible, pings, winner, post and sold events.
  expect(count).toBeGreaterThanOrEqual(3 * 7);
  await page.screenshot({ path: screenshotPath('audit-verify') });
});

test('the lead page downloads an evidence bundle that verifies offline, and prints without the console around it', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('audit-search').fill('(512) 555-1002');
  await page.getByTestId('audit-search').press('Enter');
  await page.getByTestId('audit-result').first().click();
  await expect(page.getByTestId('lead-consent').getByTestId('consent-text')).toHaveText(CONSENT_TEXT);

  await page.getByTestId('evidence-bundle').click();
  const link = page.getByTestId('evidence-link');
  await expect(link).toContainText(/Download evidence-.+\.zip/);
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  const bundle = readFileSync(await download.path());
  expect(bundle.subarray(0, 4).toString('hex')).toBe('504b0304');
  const verdict = verifyBundle(bundle);
  expect(verdict.status).not.toBe('failed');
  expect(verdict.passed.join('\n')).toContain('pings and');

  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(page.getByTestId('evidence-bundle')).toBeHidden();
  await expect(page.getByTestId('lead-trail')).toBeVisible();
  await page.screenshot({ path: screenshotPath('lead-print'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
});

test('the audit screen shows the last signed checkpoint and downloads the public key', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-checkpoint')).toContainText(/Last verified signed checkpoint: seq [\d,]+/);
  await expect(page.getByTestId('signing-status')).toContainText(/Last signed checkpoint: seq [\d,]+/);
  const downloading = page.waitForEvent('download');
  await page.getByTestId('export-public-key').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^pingdesk-audit-key-[0-9a-f]{12}\.pem$/);
  const pem = readFileSync(await download.path(), 'utf8');
  expect(pem).toContain('-----BEGIN PUBLIC KEY-----');
  await page.getByTestId('signing-panel').screenshot({ path: screenshotPath('audit-signed-checkpoint') });
});

test("erasing a consumer's contact data on request keeps the lead, its trail and a trail that still verifies", async ({ page }) => {
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('audit-search').fill('ana.1@example.com');
  await page.getByTestId('audit-search').press('Enter');
  await page.getByTestId('audit-result').first().click();
  await expect(page.getByTestId('lead-record')).toContainText('ana.1@example.com');

  await page.getByTestId('erase-lead').click();
  // Suppressing the person is the default, so they are not sold again a minute later.
  await expect(page.getByTestId('erase-suppress')).toBeChecked();
  await page.getByTestId('confirm-erase').click();
  await expect(page.getByTestId('lead-screen').locator('h1')).toContainText('erased');
  await expect(page.getByTestId('lead-record')).not.toContainText('ana.1@example.com');
  await expect(page.getByTestId('lead-trail').locator('[data-type="erased"]')).toHaveCount(1);
  await expect(page.getByTestId('erase-lead')).toHaveCount(0);

  // The erased consumer can no longer be found by their email, and the chain is intact.
  await page.goto(`${consoleApp.url}#/audit`);
  await page.getByTestId('audit-search').fill('ana.1@example.com');
  await page.getByTestId('audit-search').press('Enter');
  await expect(page.getByTestId('audit-count')).toHaveText('0 leads');
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toContainText('Intact');

  // The person is suppressed, with no digits and no lead named.
  await page.goto(`${consoleApp.url}#/suppression`);
  await expect(page.getByTestId('suppression-row').filter({ hasText: 'erased on request' }).first()).toBeVisible();
});

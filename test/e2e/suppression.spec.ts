import { expect, test } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 22 }, cheap: { bid: 9 } });
  consoleApp = exchange.console;
});

test.afterAll(async () => {
  await exchange?.close();
});

const CSV = ['phone,email', '+15125557001,', '(512) 555-7002,', ',blocked@example.com', '512-555-7001,', 'not a phone,', ',not-an-email@', ''].join('\n');

test('importing a CSV shows how many were added, already listed and refused with why; the intake then refuses those consumers', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/suppression`);
  await expect(page.getByTestId('suppression-total')).toHaveText('0 suppressed');

  await page.getByTestId('suppression-file').setInputFiles({ name: 'dnc.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  const result = page.getByTestId('suppression-import-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('import-added')).toHaveText('3');
  await expect(result.getByTestId('import-duplicates')).toHaveText('1');
  await expect(result.getByTestId('import-refused')).toHaveText('2');
  await expect(result.getByTestId('import-refused-rows')).toContainText('not a phone');
  await expect(page.getByTestId('suppression-total')).toHaveText('3 suppressed');
  await expect(page.getByTestId('suppression-row')).toHaveCount(3);
  await page.screenshot({ path: screenshotPath('suppression'), fullPage: true });

  const refused = await sendLead(consoleApp.intakeUrl, leadBody(1, { phone: '+15125557002' }), SOURCE_KEY);
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.body.error).toBe('suppressed');
});

test('a single value can be added, found by search and removed', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/suppression`);
  await page.getByTestId('suppression-add-input').fill('ana.single@example.com');
  await page.getByTestId('suppression-add-input').press('Enter');
  await expect(page.getByTestId('suppression-add-result')).toHaveText('1 added');

  await page.getByTestId('suppression-search').fill('ana.single@example.com');
  await page.getByTestId('suppression-search').press('Enter');
  await expect(page.getByTestId('suppression-row')).toHaveCount(1);

  page.once('dialog', (d) => void d.accept());
  await page.getByTestId('suppression-remove').click();
  await expect(page.getByTestId('suppression-table')).toContainText('No suppressed value matches');

  const accepted = await sendLead(consoleApp.intakeUrl, leadBody(2, { email: 'ana.single@example.com' }), SOURCE_KEY);
  expect(accepted.body).toMatchObject({ status: 'sold' });
});

test('a value the engine cannot read is refused with the reason beside the form', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/suppression`);
  await page.getByTestId('suppression-add-input').fill('12');
  await page.getByTestId('suppression-add-button').click();
  await expect(page.getByTestId('suppression-add-result')).toHaveText('0 added, 1 refused');
  await expect(page.getByTestId('suppression-add')).toContainText('not a valid phone number');
});

test('recording a revocation suppresses the consumer at once; a bad phone is shown beside its field', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/suppression`);
  const form = page.getByTestId('suppression-revoke');
  await form.getByTestId('revoke-phone').fill('12');
  await form.getByTestId('revoke-button').click();
  await expect(form).toContainText(/not a valid phone number/i);

  await form.getByTestId('revoke-phone').fill('(512) 555-7100');
  await form.getByTestId('revoke-email').fill('revoked.person@example.com');
  await form.getByTestId('revoke-reason').selectOption('stop_reply');
  await form.getByTestId('revoke-button').click();
  await expect(form.getByTestId('revoke-result')).toContainText('Suppressed phone and email');

  const refused = await sendLead(consoleApp.intakeUrl, leadBody(3, { phone: '+15125557100' }), SOURCE_KEY);
  expect(refused.body.error).toBe('suppressed');
});

test('a DNC registry file (one ten-digit number a line) imports through the same button', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/suppression`);
  const lines = Array.from({ length: 3000 }, (_, i) => `512${600 + Math.floor(i / 1000)}${String(i % 1000).padStart(4, '0')}`);
  await page.getByTestId('suppression-file').setInputFiles({ name: 'dnc-512.txt', mimeType: 'text/plain', buffer: Buffer.from(`${lines.join('\n')}\n`) });
  const result = page.getByTestId('suppression-import-result');
  await expect(result.getByTestId('import-added')).toHaveText('3,000');
  await expect(page.getByTestId('suppression-dnc-total')).toContainText('3,000 numbers on DNC lists');
  const refused = await sendLead(consoleApp.intakeUrl, leadBody(4, { phone: '+15126010005' }), SOURCE_KEY);
  expect(refused.body.error).toBe('suppressed');
});

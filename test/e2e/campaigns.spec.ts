import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { TestBuyer } from '../support/buyer-server.js';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startConsole, startExchange } from './harness.js';

test.describe.configure({ mode: 'serial' });

let acme: TestBuyer;
let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  ({ acme, console: consoleApp } = exchange);
});

test.afterAll(async () => {
  await exchange?.close();
});

const row = (page: Page, field: string) => page.getByTestId(`field-row-${field}`);

test('contact fields, flagged or known by name, offer no ping checkbox and never reach a ping', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/campaigns`);
  await expect(page.getByTestId('campaign-editor')).toContainText('Auto insurance');
  for (const contact of ['first_name', 'last_name', 'phone', 'email']) {
    await expect(row(page, contact).getByTestId('ping-checkbox')).toHaveCount(0);
    await expect(row(page, contact).getByTestId('ping-cell')).toHaveText('never');
  }
  for (const pinged of ['state', 'zip', 'age', 'vehicle_year']) await expect(row(page, pinged).getByTestId('ping-checkbox')).toBeChecked();
  await page.screenshot({ path: screenshotPath('campaigns'), fullPage: false });

  // Marking age as contact data takes it out of the ping at once.
  await row(page, 'age').getByTestId('contact-checkbox').check();
  await expect(row(page, 'age').getByTestId('ping-checkbox')).toHaveCount(0);

  // "ip" is contact data by name even without the flag: the editor offers no ping box for it.
  await page.getByTestId('add-field').click();
  const added = page.getByTestId('fields-table').locator('tbody tr').last();
  await added.getByRole('textbox', { name: /name/ }).fill('ip');
  await expect(row(page, 'ip').getByTestId('ping-checkbox')).toHaveCount(0);
  await page.getByTestId('save-campaign').click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // The next auction pings without age.
  const before = acme.pings().length;
  expect((await sendLead(consoleApp.intakeUrl, leadBody(1), SOURCE_KEY)).body).toMatchObject({ status: 'sold' });
  const ping = acme.pings()[before];
  expect(Object.keys(ping.body.fields).sort()).toEqual(['state', 'vehicle_year', 'zip']);
});

test('a bad number is reported on its field; a new campaign is created and deleted', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/campaigns`);
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('field-id').fill('home');
  await page.getByTestId('field-name').fill('Home services');
  await page.getByTestId('field-vertical').fill('home-services');
  await page.getByTestId('add-field').click();
  const first = page.getByTestId('fields-table').locator('tbody tr').first();
  await first.getByRole('textbox', { name: /name/ }).fill('zip');
  await first.getByRole('combobox').first().selectOption('zip');
  await page.getByTestId('field-row-zip').getByTestId('ping-checkbox').check();
  await page.getByTestId('field-pingTimeoutMs').fill('fast');
  await page.getByTestId('save-campaign').click();
  await expect(page.locator('label.field', { has: page.getByTestId('field-pingTimeoutMs') }).locator('.field-error')).toHaveText('Enter a whole number');

  await page.getByTestId('field-pingTimeoutMs').fill('400');
  await page.getByTestId('save-campaign').click();
  await expect(page).toHaveURL(/#\/campaigns\/home$/);
  await expect(page.getByTestId('campaigns-list')).toContainText('Home services');

  await page.getByTestId('delete-campaign').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page).toHaveURL(/#\/campaigns$/);
  await expect(page.getByTestId('campaigns-list')).not.toContainText('Home services');
});

test('the workspace exports as JSON, and an import with problems lists each one by path', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/campaigns`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-workspace').click()]);
  expect(download.suggestedFilename()).toMatch(/^pingdesk-workspace-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported.campaigns.map((c: { id: string }) => c.id)).toEqual(['auto-insurance']);
  expect(exported.buyers.map((b: { id: string }) => b.id)).toEqual(['acme', 'bolt', 'cheap']);
  expect(JSON.stringify(exported)).not.toContain(SOURCE_KEY);

  await page.getByTestId('import-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "version": 1, ') });
  await expect(page.getByTestId('import-problems')).toContainText('broken.json is not a JSON file');
  await page.getByTestId('import-problems').getByRole('button', { name: 'OK' }).click();

  const bad = structuredClone(exported);
  bad.campaigns[0].pingFields = ['state', 'phone'];
  bad.buyers[0].post.url = 'not a url';
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('import-confirm')).toContainText('1 campaign(s), 1 source(s) and 3 buyer(s)');
  await page.getByTestId('confirm-import').click();
  const problems = page.getByTestId('import-problem-list');
  await expect(problems).toContainText('buyers[0].post.url');
  await page.getByTestId('import-problems').getByRole('button', { name: 'OK' }).click();

  // Nothing changed: Acme still gets the lead.
  expect((await sendLead(consoleApp.intakeUrl, leadBody(2), SOURCE_KEY)).body).toMatchObject({ status: 'sold', price: 21 });
});

test('a new source key is shown once, works at the intake, and stops working once revoked', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/sources`);
  const editor = page.getByTestId('source-editor');
  await expect(editor).toContainText('Quotes Site');
  await expect(page.getByTestId('key-row')).toHaveCount(1);

  await page.getByTestId('create-key').click();
  const key = await page.getByTestId('created-key').inputValue();
  expect(key).toMatch(/^src_/);
  await expect(page.getByTestId('created-key-dialog')).toContainText('only time');
  await page.getByRole('button', { name: "I've copied it" }).click();
  await expect(page.getByTestId('key-row')).toHaveCount(2);
  expect(await page.locator('body').innerText()).not.toContain(key);
  await page.screenshot({ path: screenshotPath('sources'), fullPage: false });

  expect((await sendLead(consoleApp.intakeUrl, leadBody(3), key)).body).toMatchObject({ status: 'sold' });

  const fresh = page.getByTestId('key-row').filter({ hasText: key.slice(0, 8) });
  await fresh.getByRole('button', { name: 'Revoke' }).click();
  await page.getByTestId('revoke-dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(fresh).toContainText('revoked');
  expect((await sendLead(consoleApp.intakeUrl, leadBody(4), key)).status).toBe(401);

  // A rate limit must be a whole number; the message sits next to it.
  await page.getByTestId('field-rateLimitPerMinute').fill('lots');
  await page.getByTestId('save-source').click();
  await expect(page.locator('label.field', { has: page.getByTestId('field-rateLimitPerMinute') }).locator('.field-error')).toContainText('whole number');
});

test('a read-only copy shows campaigns, sources and buyers as text with no editing controls', async ({ page }) => {
  await consoleApp.close();
  const copy = await startConsole({ readOnlyCopyOf: consoleApp.dataDir });
  try {
    await page.goto(`${copy.url}#/campaigns`);
    await expect(page.getByTestId('campaign-editor')).toContainText('Auto insurance');
    await expect(page.getByTestId('export-workspace')).toBeVisible();
    for (const id of ['new-campaign', 'save-campaign', 'delete-campaign', 'import-workspace', 'add-field', 'ping-checkbox']) await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.getByTestId('campaign-editor').locator('input, select, textarea')).toHaveCount(0);
    await expect(row(page, 'ip')).toBeVisible();

    await page.evaluate(() => (window.location.hash = '#/sources'));
    await expect(page.getByTestId('source-editor')).toContainText('Quotes Site');
    for (const id of ['new-source', 'save-source', 'delete-source', 'create-key']) await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.getByTestId('source-editor').locator('input, select, textarea, button')).toHaveCount(0);

    await page.evaluate(() => (window.location.hash = '#/buyers/acme'));
    await expect(page.getByTestId('buyer-editor')).toContainText('Acme Insurance');
    await expect(page.getByTestId('field-post.url')).toHaveText(acme.postUrl);
    await expect(page.getByTestId('buyer-editor').locator('input, select, textarea, button')).toHaveCount(0);
  } finally {
    await copy.close();
  }
});

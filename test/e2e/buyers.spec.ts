import { expect, test, type Page } from '@playwright/test';
import type { TestBuyer } from '../support/buyer-server.js';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

test.describe.configure({ mode: 'serial' });

let acme: TestBuyer;
let cheap: TestBuyer;
let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  ({ acme, cheap, console: consoleApp } = exchange);
  for (let n = 1; n <= 3; n++) expect((await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY)).body).toMatchObject({ status: 'sold' });
});

test.afterAll(async () => {
  await exchange?.close();
});

/** The labelled field that holds the input for `path`, so assertions read "next to this input". */
const fieldOf = (page: Page, path: string) => page.locator('label.field', { has: page.getByTestId(`field-${path}`) });

test('the list shows each buyer with its state, place in the tree, caps and rates', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers`);
  const row = page.getByTestId('buyer-row-acme');
  await expect(row).toContainText('Acme Insurance');
  await expect(row.getByTestId('buyer-status')).toHaveText('active');
  await expect(row).toContainText('Auto insurance · Tier 1');
  await expect(row).toContainText('100.0%');
  await expect(row).toContainText('$30.00');
  await expect(page.getByTestId('buyer-row-cheap')).toContainText('Auto insurance · Tier 2');
  await page.screenshot({ path: screenshotPath('buyers'), fullPage: false });
});

test('a post URL that is not a URL is refused, with the message next to that field', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers`);
  await page.getByTestId('buyer-row-acme').getByRole('link', { name: 'Acme Insurance' }).click();
  await expect(page.getByTestId('buyer-editor')).toBeVisible();
  await expect(page.getByTestId('field-post.url')).toHaveValue(acme.postUrl);

  await page.getByTestId('field-post.url').fill('not a url');
  await page.getByTestId('save-buyer').click();
  await expect(fieldOf(page, 'post.url').locator('.field-error')).toContainText('Enter a full web address');
  await expect(fieldOf(page, 'post.url')).toHaveClass(/has-error/);
  await expect(fieldOf(page, 'ping.url').locator('.field-error')).toHaveCount(0);
  await expect(page.getByTestId('buyer-error')).toContainText('The buyer was not saved: one field needs attention');

  // Nothing was saved: the engine still posts to the real URL.
  await page.reload();
  await expect(page.getByTestId('field-post.url')).toHaveValue(acme.postUrl);
});

test('a test ping shows the exact request, the answer, the outcome and the latency', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers/acme`);
  const pingsBefore = acme.pings().length;
  await page.getByTestId('send-test-ping').click();
  const result = page.getByTestId('test-ping-result');
  await expect(result.getByTestId('test-ping-outcome')).toHaveText('BID');
  await expect(result).toContainText('$30.00');
  await expect(result).toContainText(/\d+ ms/);
  await expect(result.getByTestId('test-ping-url')).toHaveText(`POST ${acme.pingUrl}`);
  const body = await result.getByTestId('test-ping-request-body').innerText();
  expect(body).toContain('"state"');
  // A ping carries no contact data, a test ping included.
  for (const contact of ['first_name', 'phone', 'email']) expect(body).not.toContain(contact);
  await expect(result.getByTestId('test-ping-response-body')).toContainText('"bid": 30');
  expect(acme.pings().length).toBe(pingsBefore + 1);
});

test('a paused buyer is skipped by the next auction until it is resumed', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers/acme`);
  await page.getByTestId('toggle-pause').click();
  await expect(page.getByTestId('buyer-status')).toHaveText('paused');
  await expect(page.getByTestId('toggle-pause')).toHaveText('Paused');
  await expect(page.getByTestId('toggle-pause')).toHaveAttribute('aria-checked', 'false');
  // Bolt's $24 wins instead of Acme's $30: the source gets 70% of it.
  expect((await sendLead(consoleApp.intakeUrl, leadBody(10), SOURCE_KEY)).body).toMatchObject({ status: 'sold', price: 16.8 });

  await page.getByTestId('toggle-pause').click();
  await expect(page.getByTestId('buyer-status')).toHaveText('active');
  expect((await sendLead(consoleApp.intakeUrl, leadBody(11), SOURCE_KEY)).body).toMatchObject({ status: 'sold', price: 21 });
});

test('a fixed-price buyer is created, its key is shown once, and it is deleted after confirmation', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers`);
  await page.getByTestId('new-buyer').click();
  await page.getByTestId('field-id').fill('flat');
  await page.getByTestId('field-name').fill('Flat Rate Leads');
  await page.getByTestId('field-post.url').fill(cheap.postUrl);
  await page.getByTestId('save-buyer').click();
  // No ping URL and no price: said next to the price.
  await expect(fieldOf(page, 'fixedPrice').locator('.field-error')).toContainText('fixed price');
  await page.getByTestId('field-fixedPrice').fill('12.50');
  await page.getByTestId('field-filters.states').fill('tx, ca');
  await page.getByTestId('field-caps.daily').fill('40');
  await page.getByTestId('save-buyer').click();
  await expect(page).toHaveURL(/#\/buyers\/flat$/);
  // In no tier yet: it says so instead of "active", and how to fix it.
  await expect(page.getByTestId('buyer-status')).toHaveText('not in any ping tree');
  await expect(page.getByTestId('buyer-no-tree')).toContainText('add it to a tier to receive pings');
  await expect(page.getByTestId('field-filters.states')).toHaveValue('TX, CA');
  await expect(page.getByTestId('test-ping')).toContainText('fixed-price');

  await page.getByTestId('create-key').click();
  const key = await page.getByTestId('created-key').inputValue();
  expect(key).toMatch(/^buy_/);
  // Escape does not throw the one-time key away: only the explicit button closes the dialog.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('created-key-dialog')).toBeVisible();
  await page.getByRole('button', { name: "I've copied it" }).click();
  await expect(page.getByTestId('created-key-dialog')).toHaveCount(0);
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row')).toContainText(key.slice(0, 6));
  expect(await page.locator('body').innerText()).not.toContain(key);

  await page.getByTestId('delete-buyer').click();
  await expect(page.getByTestId('delete-dialog')).toBeVisible();
  await page.getByTestId('confirm-delete').click();
  await expect(page).toHaveURL(/#\/buyers$/);
  await expect(page.getByTestId('buyer-row-flat')).toHaveCount(0);
  await expect(page.getByTestId('buyer-row-acme')).toBeVisible();
});

import { expect, test, type Page } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, sendLead, SOURCE_KEY, startExchange } from './harness.js';

test.describe.configure({ mode: 'serial' });

let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  consoleApp = exchange.console;
  for (let n = 1; n <= 4; n++) expect((await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY)).body).toMatchObject({ status: 'sold' });
});

test.afterAll(async () => {
  await exchange?.close();
});

const fieldOf = (page: Page, path: string) => page.locator('label.field', { has: page.getByTestId(`field-${path}`) });
const RAW = /Too small|Too big|expected string|expected int|Invalid input|validation_failed/;

test('a badly filled buyer shows every problem at once, in plain words next to each field', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers/~new`);
  await page.getByTestId('field-id').fill('bad id');
  await page.getByTestId('field-post.url').fill('nope');
  await page.getByTestId('field-post.timeoutMs').fill('soon');
  await page.getByTestId('field-filters.states').fill('Texas, Texsa');
  await page.getByTestId('save-buyer').click();

  // One round: the form's own problems (timeout, state) and the engine's (id, name, URL, price) together.
  await expect(fieldOf(page, 'post.timeoutMs').locator('.field-error')).toHaveText('Enter a whole number');
  await expect(fieldOf(page, 'filters.states').locator('.field-error')).toContainText('"Texsa" is not a US state');
  await expect(fieldOf(page, 'name').locator('.field-error')).toHaveText('Enter a name');
  await expect(fieldOf(page, 'id').locator('.field-error')).toContainText('letters, digits');
  await expect(fieldOf(page, 'post.url').locator('.field-error')).toContainText('http://');
  await expect(fieldOf(page, 'fixedPrice').locator('.field-error')).toContainText('fixed price');
  expect(await page.getByTestId('buyer-editor').innerText()).not.toMatch(RAW);

  // Fixed, with a state name and formatted money as the intake would accept them: created.
  await page.getByTestId('field-id').fill('tex');
  await page.getByTestId('field-name').fill('Tex Leads');
  await page.getByTestId('field-post.url').fill('http://127.0.0.1:9/post');
  await page.getByTestId('field-post.timeoutMs').fill('');
  await page.getByTestId('field-filters.states').fill('Texas');
  await page.getByTestId('field-fixedPrice').fill('$1,250.00');
  await page.getByTestId('save-buyer').click();
  await expect(page).toHaveURL(/#\/buyers\/tex$/);
  await expect(page.getByTestId('toast').filter({ hasText: 'Buyer Tex Leads created' })).toBeVisible();
  await expect(page.getByTestId('field-filters.states')).toHaveValue('TX');
  await expect(page.getByTestId('field-fixedPrice')).toHaveValue('1250');
});

test('focus stays inside a dialog and returns to its opener when it closes', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers/tex`);
  const opener = page.getByTestId('delete-buyer');
  await opener.click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press(i % 3 === 2 ? 'Shift+Tab' : 'Tab');
    expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
});

test('leaving an editor with unsaved changes asks first, and staying keeps the changes', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/campaigns`);
  await expect(page.getByTestId('campaign-editor')).toBeVisible();
  await page.getByTestId('field-name').fill('Auto insurance (edited)');

  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('link', { name: 'Buyers' }).click();
  await expect.poll(() => asked).toContain('unsaved changes');
  await expect(page).toHaveURL(/#\/campaigns/);
  await expect(page.getByTestId('field-name')).toHaveValue('Auto insurance (edited)');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('link', { name: 'Buyers' }).click();
  await expect(page).toHaveURL(/#\/buyers$/);

  // Nothing was saved.
  await page.goto(`${consoleApp.url}#/campaigns`);
  await expect(page.getByTestId('field-name')).toHaveValue('Auto insurance');
});

test('a finished export arrives as a download and is listed with its size and time', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/reports`);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-leads-button').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^leads-.*\.csv$/);
  const text = await (await import('node:fs')).promises.readFile(await file.path(), 'utf8');
  expect(text.trim().split('\n').length).toBeGreaterThanOrEqual(5);

  const listed = page.getByTestId('export-file').filter({ hasText: file.suggestedFilename() });
  await expect(listed).toBeVisible();
  await expect(listed).toContainText(/\d+(\.\d)? (KB|bytes)/);
  await expect(page.getByTestId('exports-dir')).toContainText('exports');
});

test('a table is one tab stop; the arrow keys move between rows', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  const rows = page.getByTestId('live-row');
  await expect(rows).toHaveCount(4);
  await expect(page.locator('[data-testid="live-row"][tabindex="0"]')).toHaveCount(1);
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(1)).toBeFocused();
  await expect(rows.nth(1)).toHaveAttribute('tabindex', '0');
  await expect(page.locator('[data-testid="live-row"][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('End');
  await expect(rows.nth(3)).toBeFocused();
});

test('pausing a buyer is confirmed by a toast whose Undo puts it back', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/buyers/acme`);
  await page.getByTestId('toggle-pause').click();
  await expect(page.getByTestId('buyer-status')).toHaveText('paused');
  const toast = page.getByTestId('toast').filter({ hasText: 'Acme Insurance paused' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('buyer-status')).toHaveText('active');
  await expect(page.getByTestId('toggle-pause')).toHaveAttribute('aria-checked', 'true');
});

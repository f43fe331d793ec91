import { expect, test, type Page } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, sendLead, SOURCE_KEY, startExchange } from './harness.js';

// One exchange's story: each test starts from the tree the previous one left (the original one).
test.describe.configure({ mode: 'serial' });

let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  consoleApp = exchange.console;
});

test.afterAll(async () => {
  await exchange?.close();
});

const pending = (page: Page) => page.getByRole('status').filter({ hasText: 'Saving' });

async function saveFloor(page: Page, tierIndex: number, amount: string): Promise<void> {
  await page.getByTestId(`tier-floor-${tierIndex}`).click();
  await page.getByTestId(`tier-floor-input-${tierIndex}`).fill(amount);
  await page.getByTestId(`tier-floor-input-${tierIndex}`).press('Enter');
  await expect(page.getByTestId(`tier-floor-${tierIndex}`)).toHaveText(`Floor $${amount}`);
  await expect(pending(page)).toHaveCount(0);
}

test('a floor save shows an Undo toast that restores the old floor in the engine', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  await saveFloor(page, 0, '25.00');
  const toast = page.getByTestId('toast').filter({ hasText: 'Tier 1 floor $20.00 → $25.00' });
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $20.00');
  await expect(page.getByTestId('toast').filter({ hasText: 'Undone: Tier 1 floor $20.00 → $25.00' })).toBeVisible();
  await expect(pending(page)).toHaveCount(0);
  // The engine holds the restored floor: a reload reads it back.
  await page.reload();
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $20.00');
});

test('Ctrl+Z undoes the last edit, but not while typing in a field', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  await saveFloor(page, 1, '7.50');
  // In the floor input, Ctrl+Z is the field's own undo: the tree is untouched.
  await page.getByTestId('tier-floor-0').click();
  await page.getByTestId('tier-floor-input-0').press('Control+z');
  await page.getByTestId('tier-floor-input-0').press('Escape');
  await expect(page.getByTestId('tier-floor-1')).toHaveText('Floor $7.50');
  await page.locator('body').press('Control+z');
  await expect(page.getByTestId('tier-floor-1')).toHaveText('Floor $5.00');
  await expect(pending(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('tier-floor-1')).toHaveText('Floor $5.00');
});

test('removing a buyer asks first, and Undo puts it back in its place', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  const tier0 = page.getByTestId('tier-0');
  await tier0.getByTestId('tier-card-acme').getByTestId('remove-from-tier').click();
  const dialog = page.getByTestId('delete-dialog');
  await expect(dialog).toContainText('Take Acme Insurance out of Tier 1?');
  // Cancel changes nothing.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(tier0.getByTestId('tier-card-acme')).toBeVisible();

  await tier0.getByTestId('tier-card-acme').getByTestId('remove-from-tier').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('tier-pool').getByTestId('tier-card-acme')).toBeVisible();
  await expect(pending(page)).toHaveCount(0);
  const toast = page.getByTestId('toast').filter({ hasText: 'Acme Insurance taken out of Tier 1' });
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(tier0.getByTestId('tier-card-acme')).toBeVisible();
  await expect(pending(page)).toHaveCount(0);
  await page.reload();
  // First again, ahead of Bolt: the undo restores the place, not just the tier.
  await expect(tier0.locator('[data-testid^="tier-card-"]').first()).toHaveAttribute('data-testid', 'tier-card-acme');

  // The next auction runs on the restored tree: Acme's $30 wins Tier 1 again.
  const answer = await sendLead(consoleApp.intakeUrl, leadBody(1), SOURCE_KEY);
  expect(answer.body).toMatchObject({ status: 'sold', price: 21 });
});

test('Live marks the changes on its sparklines and labels its window', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  await expect(page.getByTestId('live-window-label')).toContainText('last 5 min');
  await expect(page.getByTestId('kpi-fill')).toContainText('Fill rate · Last 5 min');
  await page.getByTestId('live-window-1h').click();
  await expect(page.getByTestId('kpi-fill')).toContainText('Fill rate · Last hour');
  await expect(page.getByTestId('kpi-lpm')).toContainText('1 leads, 1 sold');
  await expect(page.getByTestId('kpi-fill').getByTestId('sparkline-marker').first()).toBeAttached();
  await expect(page.getByTestId('change-readout')).toContainText('Since Acme Insurance added to Tier 1');
  await expect(page.getByTestId('live-vs-reports')).toContainText('Reports’ charts add leads up');
});

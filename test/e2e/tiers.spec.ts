import { expect, test, type Locator, type Page } from '@playwright/test';
import type { TestBuyer } from '../support/buyer-server.js';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startConsole, startExchange } from './harness.js';

// The tests continue one exchange's story (the read-only copy checks what the first two left).
test.describe.configure({ mode: 'serial' });

let bolt: TestBuyer;
let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  ({ bolt, console: consoleApp } = exchange);
});

test.afterAll(async () => {
  await exchange?.close();
});

/** A pointer drag the way a person does it: press, nudge past the activation distance, travel, release. */
async function drag(page: Page, source: Locator, target: Locator): Promise<void> {
  const s = await source.boundingBox();
  const t = await target.boundingBox();
  if (!s || !t) throw new Error('drag source or target is not visible');
  // Grab the card by its figures, away from the name link and the remove button.
  const start = { x: s.x + s.width / 2, y: s.y + s.height - 12 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x + 12, start.y + 12, { steps: 4 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 20 });
  await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2 + 4, { steps: 2 });
  await page.mouse.up();
}

/** Sends lead `n` (the n-th auction of the run) and returns its Live row, the newest, once it is there. */
async function auctionLead(page: Page, n: number, expected: { status: string; price?: number }): Promise<Locator> {
  const answer = await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject(expected);
  await page.evaluate(() => (window.location.hash = '#/live'));
  await expect(page.getByTestId('live-row')).toHaveCount(n);
  return page.getByTestId('live-row').first();
}

const pending = (page: Page) => page.getByRole('status').filter({ hasText: 'Saving' });

test('moving a buyer between tiers and raising a floor change who wins the next auction', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  const tier0 = page.getByTestId('tier-0');
  const tier1 = page.getByTestId('tier-1');
  await expect(tier0.getByTestId('tier-card-acme')).toBeVisible();
  await expect(tier1.getByTestId('tier-card-cheap')).toBeVisible();

  // As configured: Acme (30) beats Bolt (24) in tier 1. The source gets 70% of $30.
  let row = await auctionLead(page, 1, { status: 'sold', price: 21 });
  await expect(row).toContainText('Acme Insurance');
  await expect(row).toContainText('Tier 1');

  // Drag Acme into tier 2: tier 1 now holds only Bolt, whose $24 clears the $20 floor.
  await page.evaluate(() => (window.location.hash = '#/tiers'));
  await drag(page, tier0.getByTestId('tier-card-acme'), tier1.getByTestId('tier:1-cards'));
  await expect(tier1.getByTestId('tier-card-acme')).toBeVisible();
  await expect(tier0.getByTestId('tier-card-acme')).toHaveCount(0);
  await expect(pending(page)).toHaveCount(0);
  // The engine kept it: a fresh console shows the same tree.
  const fresh = await page.context().newPage();
  await fresh.goto(`${consoleApp.url}#/tiers`);
  await expect(fresh.getByTestId('tier-1').getByTestId('tier-card-acme')).toBeVisible();
  await expect(fresh.getByTestId('tier-0').getByTestId('tier-card-bolt')).toBeVisible();
  await fresh.close();

  row = await auctionLead(page, 2, { status: 'sold', price: 16.8 });
  await expect(row).toContainText('Bolt Auto');
  await expect(row).toContainText('Tier 1');

  // A floor that is not an amount is refused next to the floor, and Escape puts the old one back.
  await page.evaluate(() => (window.location.hash = '#/tiers'));
  await page.getByTestId('tier-floor-0').click();
  await page.getByTestId('tier-floor-input-0').fill('lots');
  await page.getByTestId('tier-floor-input-0').press('Enter');
  await expect(page.getByTestId('tier-floor-error-0')).toContainText('dollar amount');
  await page.getByTestId('tier-floor-input-0').press('Escape');
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $20.00');

  // Raise tier 1's floor above Bolt's bid: the auction falls through to tier 2, where Acme wins.
  await page.getByTestId('tier-floor-0').click();
  await page.getByTestId('tier-floor-input-0').fill('25');
  await page.getByTestId('tier-floor-input-0').press('Enter');
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $25.00');
  await expect(pending(page)).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('tiers'), fullPage: false });

  row = await auctionLead(page, 3, { status: 'sold', price: 21 });
  await expect(row).toContainText('Acme Insurance');
  await expect(row).toContainText('Tier 2');
  await row.click();
  await expect(page.getByTestId('auction-tier-0').getByTestId('tier-floor')).toContainText('$25.00');
  // The floor's parts as the engine recorded them for this auction, not re-derived by the console.
  await expect(page.getByTestId('auction-tier-0').getByTestId('floor-reason')).toContainText('Highest of Tier 1 floor $25.00, Campaign minimum $5.00, Payout + margin need $3.34 (as configured when the auction ran)');
  await expect(page.getByTestId('auction-tier-0').getByTestId('auction-pings')).toContainText('BELOW_FLOOR');
  await expect(page.getByTestId('auction-tier-1').getByTestId('auction-pings')).toContainText('Acme Insurance');
  expect(bolt.posts()).toHaveLength(1);
});

test('a buyer moves by keyboard alone, and tiers can be added, reordered and removed', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  const tier0 = page.getByTestId('tier-0');
  const tier1 = page.getByTestId('tier-1');
  await expect(tier1.getByTestId('tier-card-acme')).toBeVisible();
  await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $25.00');

  // Focus Acme's card in tier 2, lift it with Space, move it left into tier 1, drop it with Space.
  const handle = tier1.getByTestId('tier-card-acme').locator('..');
  await handle.focus();
  await page.keyboard.press('Space');
  await expect(handle).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('ArrowLeft');
  // Let the lifted card settle over its new place before dropping it (no assertion on timing).
  await page.waitForTimeout(300);
  await page.keyboard.press('Space');
  await expect(tier0.getByTestId('tier-card-acme')).toBeVisible();
  await expect(pending(page)).toHaveCount(0);

  // Take Cheap out of the tree (after a confirmation), then place it in a new third tier.
  await page.getByTestId('tier-card-cheap').getByTestId('remove-from-tier').click();
  await expect(page.getByTestId('delete-dialog')).toContainText('Take Cheap Leads out of Tier 2?');
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('tier-pool').getByTestId('tier-card-cheap')).toBeVisible();
  await page.getByTestId('add-tier').click();
  await expect(page.getByTestId('tier-name-2')).toHaveText('Tier 3');
  // A new tier starts at the campaign's $5 minimum, not at $0.
  await expect(page.getByTestId('tier-floor-2')).toHaveText('Floor $5.00');
  await page.getByTestId('add-buyer-2').selectOption('cheap');
  await expect(page.getByTestId('tier-2').getByTestId('tier-card-cheap')).toBeVisible();
  await expect(page.getByTestId('tier-1').getByTestId('tier-card-cheap')).toHaveCount(0);
  await page.getByRole('button', { name: 'Move Tier 3 earlier' }).click();
  await expect(page.getByTestId('tier-name-1')).toHaveText('Tier 3');
  await expect(pending(page)).toHaveCount(0);

  // The empty tier ("Tier 2") goes without a question; its removal reaches the engine.
  await expect(page.getByTestId('tier-name-2')).toHaveText('Tier 2');
  await page.getByTestId('remove-tier-2').click();
  await expect(page.getByTestId('tier-2')).toHaveCount(0);
  await expect(pending(page)).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('tier-name-1')).toHaveText('Tier 3');
  await expect(page.getByTestId('tier-1').getByTestId('tier-card-cheap')).toBeVisible();
  await expect(page.getByTestId('tier-0').getByTestId('tier-card-acme')).toBeVisible();
  await expect(page.getByTestId('tier-2')).toHaveCount(0);
});

test('a read-only copy shows the tree with no editing controls', async ({ page }) => {
  await consoleApp.close();
  const copy = await startConsole({ readOnlyCopyOf: consoleApp.dataDir });
  try {
    await page.goto(`${copy.url}#/tiers`);
    await expect(page.getByTestId('tier-0').getByTestId('tier-card-acme')).toBeVisible();
    await expect(page.getByTestId('tier-floor-0')).toHaveText('Floor $25.00');
    for (const id of ['add-tier', 'remove-tier-0', 'add-buyer-0', 'remove-from-tier']) await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.locator('[aria-roledescription="draggable buyer"]')).toHaveCount(0);
    await expect(page.getByTestId('tier-floor-0')).not.toHaveJSProperty('tagName', 'BUTTON');
  } finally {
    await copy.close();
  }
});

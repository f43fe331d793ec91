import { expect, test } from '@playwright/test';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 31.5 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  consoleApp = exchange.console;
});

test.afterAll(async () => {
  await exchange?.close();
});

test('leads sent through the intake appear in Live as they are auctioned, and a row opens its auction', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  await expect(page.getByTestId('live-screen')).toBeVisible();
  await expect(page.getByTestId('live-table')).toContainText('Waiting for auctions');

  for (let n = 1; n <= 4; n++) {
    const answer = await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
    expect(answer.body).toMatchObject({ status: 'sold' });
  }
  // Nobody is named in the consent: no buyer may be pinged, so it goes unsold.
  const unsold = await sendLead(consoleApp.intakeUrl, leadBody(5, { sellers: [] }), SOURCE_KEY);
  expect(unsold.body).toMatchObject({ status: 'unsold' });

  const rows = page.getByTestId('live-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: 'Acme Insurance' })).toHaveCount(4);
  await expect(rows.first()).toContainText('unsold');
  await expect(rows.nth(1)).toContainText('$31.50');
  await expect(rows.nth(1)).toContainText('$22.05');

  // The outcome filter narrows the buffered rows.
  await page.getByTestId('filter-status').selectOption('unsold');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-status').selectOption('');
  await expect(rows).toHaveCount(5);

  await expect(page.getByTestId('kpi-lpm')).not.toContainText('—');
  await page.screenshot({ path: screenshotPath('live'), fullPage: false });

  await rows.nth(1).click();
  await expect(page).toHaveURL(/#\/auctions\//);
  const tier = page.getByTestId('auction-tier-0');
  await expect(tier).toContainText('Acme Insurance');
  await expect(tier).toContainText('Bolt Auto');
  await expect(tier.getByTestId('auction-pings')).toContainText('BID');
  await expect(tier.getByTestId('tier-floor')).toContainText('$20.00');
  await expect(page.getByTestId('auction-posts')).toContainText('ACCEPTED');
  await expect(page.getByTestId('auction-lead-link')).toBeVisible();
  await page.screenshot({ path: screenshotPath('auction'), fullPage: true });
});

test('pausing freezes the table and counts what arrives; resuming shows it', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  const rows = page.getByTestId('live-row');
  await expect(rows.first()).toBeVisible();
  const before = await rows.count();

  await page.getByTestId('live-pause').click();
  for (let n = 10; n < 13; n++) await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
  await expect(page.getByTestId('live-arrived')).toContainText('3 new since');
  await expect(rows).toHaveCount(before);

  await page.getByTestId('live-pause').click();
  await expect(rows).toHaveCount(before + 3);
  await expect(page.getByTestId('live-arrived')).toHaveCount(0);
});

test('g then a letter moves between screens from the keyboard, but not while typing', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  await expect(page.getByTestId('live-screen')).toBeVisible();
  await page.keyboard.press('g');
  await page.keyboard.press('r');
  await expect(page.getByTestId('reports-screen')).toBeVisible();
  await expect(page.getByTestId('nav-reports')).toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.getByTestId('audit-screen')).toBeVisible();
  // The search field has focus: typing "g" and "l" there stays text.
  await page.getByTestId('audit-search').pressSequentially('gl');
  await expect(page.getByTestId('audit-search')).toHaveValue('gl');
  await expect(page.getByTestId('audit-screen')).toBeVisible();
});

test('the figures say their window, and another window reads the stored leads', async ({ page }) => {
  const answer = await sendLead(consoleApp.intakeUrl, leadBody(40), SOURCE_KEY);
  expect(answer.body).toMatchObject({ status: 'sold' });
  await page.goto(`${consoleApp.url}#/live`);
  await expect(page.getByTestId('kpi-revenue')).toContainText('Revenue · Last 5 min');
  await expect(page.getByTestId('live-window-label')).toContainText('last 5 min (auctions as they finish)');
  await page.getByTestId('live-window-today').click();
  await expect(page.getByTestId('kpi-revenue')).toContainText('Revenue · Today');
  await expect(page.getByTestId('live-window-label')).toContainText('today (stored leads)');
  await expect(page.getByTestId('kpi-lpm')).not.toContainText(' 0 leads');
  // The workspace import at start is a change: it is marked on today's trend.
  await expect(page.getByTestId('kpi-revenue').getByTestId('sparkline-marker').first()).toBeAttached();
  await expect(page.getByTestId('live-vs-reports')).toContainText('Live and Reports differ because');
});

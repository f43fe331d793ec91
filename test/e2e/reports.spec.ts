import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { type ConsoleHandle, type Exchange, leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange } from './harness.js';

let consoleApp: ConsoleHandle;
let exchange: Exchange;
const leadIds: string[] = [];

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 22 }, cheap: { bid: 9 } });
  consoleApp = exchange.console;
  for (let n = 1; n <= 5; n++) {
    const answer = await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
    leadIds.push(String(answer.body.lead_id));
  }
  const unsold = await sendLead(consoleApp.intakeUrl, leadBody(6, { sellers: [] }), SOURCE_KEY);
  leadIds.push(String(unsold.body.lead_id));
});

test.afterAll(async () => {
  await exchange?.close();
});

function readCsv(fileName: string): Array<Record<string, string>> {
  return parse(readFileSync(join(consoleApp.dataDir, 'exports', fileName), 'utf8'), { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

test('reports show the range figures, charts and per-source and per-buyer tables', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/reports`);
  await page.getByTestId('range-1h').click();
  await expect(page.getByTestId('report-leads')).toContainText('6');
  await expect(page.getByTestId('report-leads')).toContainText('5 sold');
  await expect(page.getByTestId('chart-revenue').locator('.recharts-line').first()).toBeVisible();
  await expect(page.getByTestId('chart-latency').locator('.recharts-line')).toHaveCount(2);
  const sources = page.getByTestId('report-sources');
  await expect(sources).toContainText('Quotes Site');
  await expect(sources.locator('tbody tr').first()).toContainText('$150.00');
  await expect(page.getByTestId('report-buyers')).toContainText('Acme Insurance');
  await page.screenshot({ path: screenshotPath('reports'), fullPage: true });
});

test('a floor change is marked on the charts and listed under them', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/tiers`);
  await page.getByTestId('tier-floor-1').click();
  await page.getByTestId('tier-floor-input-1').fill('6.00');
  await page.getByTestId('tier-floor-input-1').press('Enter');
  await expect(page.getByTestId('tier-floor-1')).toHaveText('Floor $6.00');
  await page.goto(`${consoleApp.url}#/reports`);
  await page.getByTestId('range-1h').click();
  await expect(page.getByTestId('report-changes')).toContainText('Tier 2 floor $5.00 → $6.00 (console:browser)');
  await expect(page.getByTestId('chart-fill').locator('.recharts-reference-line').first()).toBeAttached();
  // Live's window and Reports' range differ, and the line says so.
  await expect(page.getByTestId('live-vs-reports')).toContainText('Live shows last 5 min, Reports show last hour');
});

test('a CSV export of the range produces the file with one row per lead, and a download link', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/reports`);
  await page.getByTestId('range-24h').click();
  await page.getByTestId('export-leads-button').click();
  const link = page.getByTestId('export-leads-link');
  await expect(link).toBeVisible();
  await expect(page.getByTestId('export-leads-result')).toContainText('6 rows');

  const fileName = ((await link.textContent()) ?? '').replace(/^Download (.*) again$/, '$1').trim();
  const rows = readCsv(fileName);
  expect(rows).toHaveLength(6);
  const ids = rows.map((r) => Object.values(r).find((v) => leadIds.includes(v)));
  expect(new Set(ids)).toEqual(new Set(leadIds));

  const href = await link.getAttribute('href');
  const download = await page.request.get(new URL(href ?? '', consoleApp.url).toString());
  expect(download.status()).toBe(200);
  expect((await download.text()).trim().split('\n')).toHaveLength(7);

  await page.getByTestId('export-auctions-button').click();
  await expect(page.getByTestId('export-auctions-result')).toContainText('6 rows');
  await page.getByTestId('export-audit-button').click();
  await expect(page.getByTestId('export-audit-link')).toBeVisible();
  await page.getByTestId('export-panel').screenshot({ path: screenshotPath('reports-export') });
});

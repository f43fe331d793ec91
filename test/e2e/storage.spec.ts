import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { leadBody, screenshotPath, sendLead, SOURCE_KEY, startExchange, type Exchange } from './harness.js';

let exchange: Exchange;

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 22 }, cheap: { bid: 9 } });
});

test.afterAll(async () => {
  await exchange?.close();
});

test('while the database cannot be written every screen shows the storage banner, and it goes when the engine resumes', async ({ page }) => {
  const { console: app } = exchange;
  await page.goto(`${app.url}#/live`);
  await expect(page.getByTestId('screen-live')).toBeVisible();
  await expect(page.getByTestId('storage-banner')).toHaveCount(0);

  // Another process holds the database's write lock: a real SQLITE_BUSY for the engine.
  const locker = new Database(join(app.dataDir, 'pingdesk.db'));
  try {
    locker.exec('BEGIN IMMEDIATE');
    const refused = await sendLead(app.intakeUrl, leadBody(1), SOURCE_KEY);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('storage_unavailable');

    const banner = page.getByTestId('storage-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('Storage unavailable');
    await expect(banner).toContainText('SQLITE_BUSY: database is locked');
    await page.screenshot({ path: screenshotPath('storage-unavailable') });
    for (const route of ['tiers', 'buyers', 'audit']) {
      await page.goto(`${app.url}#/${route}`);
      await expect(page.getByTestId(`screen-${route}`)).toBeVisible();
      await expect(page.getByTestId('storage-banner')).toBeVisible();
    }
  } finally {
    locker.exec('ROLLBACK');
    locker.close();
  }
  await expect(page.getByTestId('storage-banner')).toHaveCount(0, { timeout: 10_000 });
  const sold = await sendLead(app.intakeUrl, leadBody(2), SOURCE_KEY);
  expect(sold.status).toBe(200);
});

import { expect, test, type Page } from '@playwright/test';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { exchangeWorkspace, leadBody, screenshotPath, sendLead, SOURCE_KEY, startConsole, type ConsoleHandle } from './harness.js';

let buyers: TestBuyer[] = [];
let reviewCopy: ConsoleHandle;

test.beforeAll(async () => {
  const [acme, bolt, cheap] = await Promise.all([startBuyer({ bid: 30 }), startBuyer({ bid: 22 }), startBuyer({ bid: 9 })]);
  buyers = [acme, bolt, cheap];
  const live = await startConsole({ workspace: exchangeWorkspace({ acme, bolt, cheap }) });
  try {
    for (let n = 1; n <= 3; n++) await sendLead(live.intakeUrl, leadBody(n), SOURCE_KEY);
  } finally {
    await live.close();
  }
  reviewCopy = await startConsole({ readOnlyCopyOf: live.dataDir });
});

test.afterAll(async () => {
  await reviewCopy?.close();
  await Promise.all(buyers.map((b) => b.close()));
});

/** Words that name a change to the data folder, on a button or link a reviewer could press. */
const EDITING = /^\s*(add|new|create|save|delete|remove|import|edit|revoke|rotate|pause|resume|erase|apply changes|raise|lower|choose csv)\b/i;

async function editingControls(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const el of await page.locator('main button:visible, main a.btn:visible, main [role="button"]:visible').all()) {
    const text = ((await el.textContent()) ?? '').trim();
    if (EDITING.test(text)) found.push(text);
  }
  const inputs = await page.locator('main input[type="file"], main input[type="number"], main textarea').count();
  if (inputs > 0) found.push(`${inputs} editable input(s)`);
  return found;
}

test('a read-only copy shows the banner and no editing control on any screen', async ({ page }) => {
  await page.goto(`${reviewCopy.url}#/live`);
  const banner = page.getByTestId('readonly-banner');
  await expect(banner).toHaveText(`Read-only copy — ${reviewCopy.dataDir}`);
  await expect(page.getByTestId('live-row')).toHaveCount(3);

  for (const route of ['reports', 'tiers', 'buyers', 'campaigns', 'sources', 'audit', 'suppression']) {
    await page.goto(`${reviewCopy.url}#/${route}`);
    await expect(page.getByTestId(`screen-${route}`)).toBeVisible();
    await expect(page.getByTestId('screen-error')).toHaveCount(0);
    // Screens load their data after the first paint; give them a moment to render their controls.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    expect(await editingControls(page), `editing controls on #/${route}`).toEqual([]);
    await expect(banner).toBeVisible();
  }
  await expect(page.getByTestId('suppression-import')).toHaveCount(0);
  await expect(page.getByTestId('suppression-add')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('readonly') });
});

test('the reviewer can still search, read a lead and verify the copied trail', async ({ page }) => {
  await page.goto(`${reviewCopy.url}#/audit`);
  await page.getByTestId('audit-search').fill('ana.2@example.com');
  await page.getByTestId('audit-search').press('Enter');
  await expect(page.getByTestId('audit-result')).toHaveCount(1);
  await page.getByTestId('audit-result').first().click();
  await expect(page.getByTestId('lead-consent')).toContainText('Acme Insurance, Bolt Auto, Cheap Leads');
  await page.goBack();
  await page.getByTestId('verify-button').click();
  await expect(page.getByTestId('verify-result')).toContainText('Intact');
});

test('the same check finds the editing controls of a writable folder', async ({ page }) => {
  const [acme, bolt, cheap] = buyers;
  const writable = await startConsole({ workspace: exchangeWorkspace({ acme, bolt, cheap }) });
  try {
    await page.goto(`${writable.url}#/suppression`);
    await expect(page.getByTestId('suppression-import')).toBeVisible();
    await expect(page.getByTestId('readonly-banner')).toHaveCount(0);
    expect(await editingControls(page)).toEqual(expect.arrayContaining(['Choose CSV file…', 'Add']));
  } finally {
    await writable.close();
  }
});

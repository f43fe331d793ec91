import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { NAV_ITEMS } from '../../src/renderer/app/nav-items.js';
import { type ConsoleHandle, type Exchange, leadBody, sendLead, SOURCE_KEY, startExchange } from './harness.js';

test.describe.configure({ mode: 'serial' });

let consoleApp: ConsoleHandle;
let exchange: Exchange;
let leadId = '';

test.beforeAll(async () => {
  exchange = await startExchange({ acme: { bid: 30 }, bolt: { bid: 24 }, cheap: { bid: 8 } });
  consoleApp = exchange.console;
  for (let n = 1; n <= 3; n++) {
    const answer = await sendLead(consoleApp.intakeUrl, leadBody(n), SOURCE_KEY);
    expect(answer.body).toMatchObject({ status: 'sold' });
    leadId = String((answer.body as { lead_id: string }).lead_id);
  }
});

test.afterAll(async () => {
  await exchange?.close();
});

/** Serious and critical WCAG 2 A/AA violations on the page as it stands, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim() ?? v.help}`));
}

const screens = [
  ...NAV_ITEMS.map((item) => ({ name: item.label, hash: `#/${item.route}`, ready: `screen-${item.route}` })),
  { name: 'Buyer editor', hash: '#/buyers/acme', ready: 'buyer-editor' },
  { name: 'New buyer', hash: '#/buyers/~new', ready: 'buyer-editor' },
];

// One pass over every screen: each screen's violations are reported under its own name.
test('no screen has a serious or critical accessibility violation', async ({ page }) => {
  for (const screen of screens) {
    await page.goto(`${consoleApp.url}${screen.hash}`);
    await expect(page.getByTestId(screen.ready)).toBeVisible();
    // Let lists and charts load: axe checks what a person sees, not the loading state.
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForTimeout(400);
    expect.soft(await seriousViolations(page), screen.name).toEqual([]);
  }
});

test('a lead page and an auction page have no serious or critical accessibility violation', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/leads/${encodeURIComponent(leadId)}`);
  await expect(page.getByText(leadId).first()).toBeVisible();
  await page.waitForTimeout(400);
  expect.soft(await seriousViolations(page), 'lead').toEqual([]);

  await page.goto(`${consoleApp.url}#/live`);
  await page.getByTestId('live-row').first().click();
  await expect(page).toHaveURL(/#\/auctions\//);
  await page.waitForTimeout(400);
  expect(await seriousViolations(page)).toEqual([]);
});

test('the paused Live "Resume" button is readable (contrast at least 4.5:1)', async ({ page }) => {
  await page.goto(`${consoleApp.url}#/live`);
  await page.getByTestId('live-pause').click();
  await expect(page.getByTestId('live-pause')).toHaveText('Resume');
  const result = await new AxeBuilder({ page }).include('[data-testid="live-pause"]').withRules(['color-contrast']).analyze();
  expect(result.violations).toEqual([]);
  expect(result.passes.map((p) => p.id)).toContain('color-contrast');
});

/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { texts, validateEan } from '@p1/activation';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningModule } from '../src/wiring/module';
import { launchChromium, PHONE_VIEWPORT } from './helpers/chromium';
import { TEST_TOKEN, withModule } from './helpers/module';

let module: RunningModule;
let cleanup: () => Promise<void>;
let context: BrowserContext;
let page: Page;
const profile = mkdtempSync(join(tmpdir(), 'p1-chromium-'));

beforeAll(async () => {
  // with a target, so that the capacity view has one to draw against
  ({ module, cleanup } = await withModule({ site: { connection: '3N400', fuseA: 25, capacityTargetKw: 4 } }));
  context = await launchChromium(profile, { locale: 'en-US', viewport: PHONE_VIEWPORT });
  page = context.pages()[0] ?? (await context.newPage());
}, 60_000);

afterAll(async () => {
  await context?.close();
  await cleanup?.();
  rmSync(profile, { recursive: true, force: true });
});

const text = (testId: string) => page.getByTestId(testId).first().textContent();

describe('dashboard in a real chromium (phone viewport)', () => {
  it('shows live values that update from the meter', async () => {
    await page.goto(`${module.http.url}/`);
    await expect.poll(() => text('meter-status'), { timeout: 20_000 }).toBe('valid-telegrams');
    // the status can show before the first telegram's line values: wait for them, then check their range
    await expect.poll(async () => Number(await text('line-1-current')), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(Number(await text('line-1-current'))).toBeLessThan(60);
    // the meter clock moves on without a reload: values arrive over SSE
    const first = await text('meter-time');
    await expect.poll(() => text('meter-time'), { timeout: 15_000 }).not.toBe(first);
    // what the page shows is what the API says
    const state = (await (await fetch(`${module.http.url}/api/v1/state`)).json()) as {
      chargers: { limitA: number; reason: string }[];
    };
    expect(state.chargers[0]?.reason).toBeTruthy();
    await expect.poll(() => text('charger-sim1-reason'), { timeout: 10_000 }).toMatch(/\w/);
    expect(Number(await text('charger-sim1-limit'))).toBeGreaterThanOrEqual(0);
    expect(await text('grid-import')).toMatch(/^\d+\.\d{3}$/);
    // nothing overflows a phone screen
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  }, 60_000);

  it('shows the quarter average, its projection and the month history', async () => {
    await page.goto(`${module.http.url}/#capacity`);
    await expect.poll(() => text('quarter-projection'), { timeout: 10_000 }).toMatch(/^\d+\.\d\d$/);
    expect(await text('quarter-target')).toBe('4.0 kW');
    await expect.poll(() => page.locator('#history .bar').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // the balancer's decisions with their reasons, from the store
    await expect.poll(() => page.locator('#decisions tr').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#decisions tr').first().textContent()).toMatch(/sim1/);
  }, 30_000);

  it('saves settings with the token and refuses a wrong one', async () => {
    await page.goto(`${module.http.url}/#settings`);
    await page.getByTestId('token').fill('wrong-token-xyz');
    await page.getByTestId('capacity-target').fill('5.5');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => text('settings-result')).toBe('Wrong access token.');
    await page.getByTestId('token').fill(TEST_TOKEN);
    await page.getByTestId('capacity-target').fill('1');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => text('settings-result')).toMatch(/^capacityTargetKw: /);
    await page.getByTestId('capacity-target').fill('5.5');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => text('settings-result')).toBe('Saved.');
    expect(module.core.settings.capacityTargetKw).toBe(5.5);
    await page.goto(`${module.http.url}/#capacity`);
    await expect.poll(() => text('quarter-target'), { timeout: 10_000 }).toBe('5.5 kW');
  }, 30_000);

  it('walks the activation assistant to a verified port with the module’s own telegrams', async () => {
    const t = texts('en');
    await page.goto(`${module.http.url}/#activation`);
    await page.evaluate((token) => localStorage.setItem('p1-token', token), TEST_TOKEN);
    await page.locator('#act-lang').selectOption('en');
    await expect.poll(() => text('act-title')).toBe(t.states['no-account'].title);
    const click = async (action: string, state: keyof typeof t.states) => {
      await page.locator(`[data-action="${action}"]`).click();
      await expect.poll(() => text('act-title')).toBe(t.states[state].title);
    };
    await click('register-itsme', 'registered');
    await click('confirm-email', 'email-confirmed');
    await click('login', 'logged-in');
    await page.getByTestId('act-ean').fill('541448820000000001');
    await page.locator('#act-ean-form button').click();
    await expect.poll(() => page.getByTestId('act-error').isVisible()).toBe(true);
    const ean = [...'0123456789'].map((d) => `54144882000000000${d}`).find((e) => validateEan(e).valid) as string;
    await page.getByTestId('act-ean').fill(ean);
    await page.locator('#act-ean-form button').click();
    await expect.poll(() => text('act-title')).toBe(t.states['ean-entered'].title);
    await click('add-ean', 'ean-added');
    await click('request-orange', 'requested');
    expect(await page.locator('#act-dot').getAttribute('class')).toContain('orange');
    await click('approve-email-link', 'approved');
    await page.locator('[data-action="switch-on"]').click();
    // the meter is already sending valid telegrams: the module verifies the port by itself
    await expect.poll(() => text('act-title'), { timeout: 20_000 }).toBe(t.states.verified.title);
    expect(module.store.loadActivation<{ state: string }>()?.state).toBe('verified');
    // starting over asks first
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('act-restart').click();
    await expect.poll(() => text('act-title')).toBe(t.states['no-account'].title);
  }, 60_000);
});

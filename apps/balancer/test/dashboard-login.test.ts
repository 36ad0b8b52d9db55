/// <reference lib="dom" />
/**
 * The module reachable from the network (http.host 0.0.0.0), seen from a real chromium: the dashboard
 * asks for the token once and then runs live under its Content-Security-Policy (uPlot charts included);
 * a page under another name that resolves to the module (DNS rebinding) reads nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningModule, startModule } from '../src/wiring/module';
import { launchChromium } from './helpers/chromium';
import { TEST_TOKEN, testConfig } from './helpers/module';

const dir = mkdtempSync(join(tmpdir(), 'p1-login-'));
const profile = mkdtempSync(join(tmpdir(), 'p1-chromium-'));
let module: RunningModule;
let context: BrowserContext;
let page: Page;
/** Console errors and uncaught exceptions: a Content-Security-Policy violation shows up here. */
const browserErrors: string[] = [];
let base = '';

beforeAll(async () => {
  module = await startModule(
    testConfig(dir, { http: { host: '0.0.0.0', port: 0, token: TEST_TOKEN } }),
    pino({ level: 'silent' }),
  );
  base = `http://127.0.0.1:${module.http.port}`;
  context = await launchChromium(profile, {
    locale: 'en-US',
    // an attacker's name that resolves to the module, as a DNS-rebinding page would arrange
    args: ['--host-resolver-rules=MAP rebind.evil.example 127.0.0.1'],
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') browserErrors.push(m.text());
  });
  page.on('pageerror', (err) => browserErrors.push(err.message));
}, 60_000);

afterAll(async () => {
  await context?.close();
  await module?.stop();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard of a module reachable from the network, in chromium', () => {
  it('sends a visitor without the token to the login page, and refuses a wrong token', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login.html');
    await page.getByTestId('login-token').fill('not-the-token');
    await page.getByTestId('login').click();
    await expect.poll(() => page.getByTestId('login-result').textContent()).toBe('Wrong access token.');
    expect(new URL(page.url()).pathname).toBe('/login.html');
  }, 30_000);

  it('with the token: the live dashboard, its charts drawn, the token ready for Settings, no CSP error', async () => {
    browserErrors.length = 0; // the 401 of the wrong token above is logged by the browser
    await page.getByTestId('login-token').fill(TEST_TOKEN);
    await page.getByTestId('login').click();
    await page.waitForURL(`${base}/`);
    await expect
      .poll(() => page.getByTestId('meter-status').textContent(), { timeout: 20_000 })
      .toBe('valid-telegrams');
    await expect.poll(() => page.getByTestId('grid-import').textContent(), { timeout: 10_000 }).toMatch(/^\d/);
    await expect
      .poll(() => page.getByTestId('chart-lines').evaluate((el) => el.querySelectorAll('canvas').length), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('token').inputValue()).toBe(TEST_TOKEN);
    expect(browserErrors).toEqual([]);
  }, 60_000);

  it('a page under another name resolving to the module (DNS rebinding) gets nothing', async () => {
    const other = await context.newPage();
    try {
      for (const path of ['/api/v1/data', '/api/v1/state', '/']) {
        const res = await other.goto(`http://rebind.evil.example:${module.http.port}${path}`);
        expect(res?.status(), path).toBe(403);
        expect(await other.content()).not.toContain('active_power');
      }
    } finally {
      await other.close();
    }
  }, 30_000);
});

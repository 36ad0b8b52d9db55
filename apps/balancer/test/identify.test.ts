/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { type RunningHttp, startHttp } from '../src/http/server';
import type { RuntimeSettings } from '../src/http/settings';
import { LiveState } from '../src/live/live-state';
import { launchChromium, PHONE_VIEWPORT } from './helpers/chromium';
import { libraryRequest } from './helpers/homewizard-rules';

const logLines: { msg: string }[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(JSON.parse(String(chunk)));
      done();
    },
  }),
);

let http: RunningHttp;
let context: BrowserContext;
const profile = mkdtempSync(join(tmpdir(), 'p1-chromium-identify-'));

beforeAll(async () => {
  const live = new LiveState(embeddedDefaultConfig().site);
  const settings: RuntimeSettings = { capacityTargetKw: 4, solar: 'off' };
  http = await startHttp(
    { live, token: 'token-0123456789', settings: { get: () => settings, update: () => settings }, logger },
    '127.0.0.1',
    0,
  );
  context = await launchChromium(profile, { viewport: PHONE_VIEWPORT });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await http?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('HomeWizard identify on the dashboard (real chromium)', () => {
  it('PUT /api/v1/identify flashes the open dashboard for a few seconds and logs it once', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${http.url}/`);
    await expect.poll(() => page.getByTestId('meter-status').textContent(), { timeout: 10_000 }).toBe('connecting');
    const flashing = () => page.evaluate(() => document.body.classList.contains('identify'));
    expect(await flashing()).toBe(false);

    for (let i = 0; i < 2; i++) expect((await libraryRequest(`${http.url}/api/v1/identify`, 'PUT')).status).toBe(200);
    await expect.poll(flashing, { timeout: 5_000 }).toBe(true);
    const animation = await page.evaluate(
      () => getComputedStyle(document.querySelector('header') as Element).animationName,
    );
    expect(animation).toBe('identify');
    expect(logLines.filter((l) => l.msg.startsWith('identify')).length).toBe(1);
    // and it stops by itself
    await expect.poll(flashing, { timeout: 15_000 }).toBe(false);
  }, 60_000);
});

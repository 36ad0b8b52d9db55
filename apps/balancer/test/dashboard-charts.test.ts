/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUARTER_MS } from '@p1/balancer';
import type { SimulatedCharger } from '@p1/sim';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterDayStart, SESSIONS_CSV_HEADER } from '../src/http/charts';
import { Store } from '../src/store/store';
import { type RunningModule, startModule } from '../src/wiring/module';
import { launchChromium, PHONE_VIEWPORT } from './helpers/chromium';
import { setCapacityTarget, TEST_TOKEN, testConfig } from './helpers/module';
import { countColor, parseCssRgb, type Rect, type Rgb } from './helpers/png';

const REPORTS = join(import.meta.dirname, '..', '.reports', 'charts');
const dir = mkdtempSync(join(tmpdir(), 'p1-charts-'));
const profile = mkdtempSync(join(tmpdir(), 'p1-chromium-'));
let module: RunningModule;
let context: BrowserContext;
let page: Page;
/** Console errors and uncaught exceptions: a Content-Security-Policy violation shows up here. */
const browserErrors: string[] = [];

/**
 * What a module that had been running would have stored: 24 h of power (one sample a minute, up to
 * 20 minutes ago, so the live 15-minute chart shows only what the running module measures) and
 * today's closed quarters on the meter clock.
 */
function seedHistory(path: string, now: number): void {
  const store = new Store(path);
  const end = now - 20 * 60_000;
  for (let t = end - 24 * 3_600_000; t < end; t += 60_000) {
    const hour = new Date(t).getUTCHours();
    const solar = hour >= 9 && hour < 16 ? 2500 : 0;
    const importW = 600 + 400 * Math.sin(t / 3_600_000) + (hour >= 17 && hour < 21 ? 1800 : 0);
    store.recordSecond({
      ts: t,
      importW: Math.max(0, importW - solar),
      exportW: Math.max(0, solar - importW),
      currentsA: [3, 2, 2],
      voltagesV: [230, 230, 230],
      importKwh: 1000 + (t - end) / 3.6e9,
      exportKwh: 100,
      quarterAvgKw: null,
    });
  }
  const current = now - (now % QUARTER_MS);
  for (let q = meterDayStart(now); q < current; q += QUARTER_MS) {
    store.recordQuarter(q, 1 + ((q / QUARTER_MS) % 7) * 0.45, 4);
  }
  store.close();
}

beforeAll(async () => {
  mkdirSync(REPORTS, { recursive: true });
  const config = testConfig(dir);
  seedHistory(config.store.path, Date.now());
  module = await startModule(config, pino({ level: 'silent' }));
  context = await launchChromium(profile, { locale: 'en-US', viewport: PHONE_VIEWPORT, deviceScaleFactor: 1 });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') browserErrors.push(m.text());
  });
  page.on('pageerror', (err) => browserErrors.push(err.message));
}, 60_000);

afterAll(async () => {
  await context?.close();
  await module?.stop();
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** The colour of a series as its legend marker shows it (the border is the stroke). */
async function seriesColor(testId: string, label: string): Promise<Rgb> {
  const css = await page.getByTestId(testId).evaluate((el, name) => {
    for (const row of el.querySelectorAll('.u-series')) {
      if (row.querySelector('.u-label')?.textContent === name) {
        const marker = row.querySelector('.u-marker');
        return marker ? getComputedStyle(marker).borderTopColor : null;
      }
    }
    return null;
  }, label);
  if (!css) throw new Error(`${testId}: no legend entry '${label}'`);
  return parseCssRgb(css);
}

/** The running quarter's slot as drawn: its colour at 0x33 alpha (`COLORS.runningBand`) over the white plot. */
const slotShade = (running: Rgb) => running.map((c) => Math.round(255 - (255 - c) * (0x33 / 255))) as Rgb;

interface Shot {
  png: Buffer;
  /** The plot area (uPlot's .u-over) within the screenshot: legends and axes left out. */
  plot: Rect;
}

/** Screenshots the chart into .reports/charts/NAME.png. */
async function shoot(testId: string, name: string): Promise<Shot> {
  const chart = page.getByTestId(testId);
  // to the middle of the screen: the sticky header covers the top
  await chart.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await chart.boundingBox();
  const over = await chart.locator('.u-over').boundingBox();
  if (!box || !over) throw new Error(`${testId}: not drawn`);
  const png = await chart.screenshot();
  writeFileSync(join(REPORTS, `${name}.png`), png);
  return { png, plot: { x: over.x - box.x, y: over.y - box.y, width: over.width, height: over.height } };
}

/**
 * Pixels of each series' colour in the plot area, once every group of series has drawn at least `min`
 * (a group, e.g. L1/L2/L3, counts together: equal values draw one line over the other).
 */
async function drawn(testId: string, name: string, groups: string[][], min = 40): Promise<Record<string, number>> {
  const labels = groups.flat();
  const colors = await Promise.all(labels.map((l) => seriesColor(testId, l)));
  let counts: Record<string, number> = {};
  await expect
    .poll(
      async () => {
        const shot = await shoot(testId, name);
        counts = Object.fromEntries(labels.map((l, i) => [l, countColor(shot.png, shot.plot, colors[i] as Rgb)]));
        return Math.min(...groups.map((g) => g.reduce((sum, l) => sum + (counts[l] ?? 0), 0)));
      },
      { timeout: 20_000, interval: 1000 },
    )
    .toBeGreaterThanOrEqual(min);
  return counts;
}

/** The whole page as a phone shows it (for the report), and its width: nothing may overflow. */
async function pageWidth(name: string): Promise<number> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(REPORTS, `page-${name}.png`), fullPage: true });
  return page.evaluate(() => document.documentElement.scrollWidth);
}

describe('dashboard charts in a real chromium (phone viewport, Content-Security-Policy on)', () => {
  it('serves the page under a policy that allows scripts from the module only', async () => {
    const res = await page.goto(`${module.http.url}/`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    const lib = await fetch(`${module.http.url}/vendor/uPlot.iife.min.js`);
    expect(lib.status).toBe(200);
    expect(await lib.text()).toMatch(/uPlot/);
    await expect
      .poll(() => page.getByTestId('meter-status').textContent(), { timeout: 20_000 })
      .toBe('valid-telegrams');
  }, 40_000);

  it('draws the line currents and the fuse, filled from the store and then live', async () => {
    const counts = await drawn('chart-lines', 'line-currents', [['L1', 'L2', 'L3'], ['fuse']]);
    expect(counts.fuse).toBeGreaterThan(100); // a dashed line across the plot
    // live: the chart grows while the page stays open
    const before = await page.getByTestId('chart-lines').evaluate((el) => el.querySelector('canvas')?.toDataURL());
    await expect
      .poll(() => page.getByTestId('chart-lines').evaluate((el) => el.querySelector('canvas')?.toDataURL()), {
        timeout: 10_000,
      })
      .not.toBe(before);
    expect(await pageWidth('live-lines')).toBeLessThanOrEqual(390);
  }, 60_000);

  it("draws the car's current and limit over its session", async () => {
    await expect.poll(() => page.getByTestId('chart-car-sim1').count(), { timeout: 10_000 }).toBe(1);
    await drawn('chart-car-sim1', 'car-session', [['current'], ['limit']]);
    expect(await pageWidth('live')).toBeLessThanOrEqual(390);
  }, 40_000);

  it('lists the sessions, charts the selected one, and exports the one the test ended as CSV', async () => {
    const charger = module.chargers[0] as SimulatedCharger;
    await expect.poll(() => charger.measurement.sessionKwh, { timeout: 20_000 }).toBeGreaterThan(0.002);
    const open = module.store.sessions(1)[0];
    expect(open?.endedAt).toBeNull();
    charger.unplug();
    const energy = charger.measurement.sessionKwh;
    await expect
      .poll(() => module.store.session(open?.id as number)?.endedAt ?? null, { timeout: 10_000 })
      .not.toBeNull();

    await page.goto(`${module.http.url}/#sessions`);
    const row = page.locator(`#sessions-list tr[data-session="${open?.id}"]`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    // two decimals of the energy the API rounded to three
    expect(Math.abs(Number(await row.locator('td.num').first().textContent()) - energy)).toBeLessThan(0.0056);
    await row.click();
    await drawn('chart-session', 'session-selected', [['current'], ['limit']]);
    expect(await pageWidth('sessions')).toBeLessThanOrEqual(390);

    // the link the page offers, fetched as the browser would
    const href = await page.getByTestId('sessions-csv').getAttribute('href');
    const res = await fetch(new URL(href as string, `${module.http.url}/`));
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...SESSIONS_CSV_HEADER]);
    const mine = rows.find((r) => r.id === String(open?.id));
    expect(mine?.charger).toBe('sim1');
    expect(Number(mine?.energy_kwh)).toBeCloseTo(energy, 3);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
    expect(mine?.started_at).toMatch(iso);
    expect(mine?.ended_at).toMatch(iso);
    const ended = module.store.session(open?.id as number);
    expect(Date.parse(mine?.started_at as string)).toBe(Math.floor((ended?.startedAt as number) / 1000) * 1000);
    expect(Date.parse(mine?.ended_at as string)).toBe(Math.floor((ended?.endedAt as number) / 1000) * 1000);
  }, 60_000);

  it("draws today's quarters against the target, the running one apart", async () => {
    // The owner sets the seeded quarters' 4 kW target: its line then spans the whole day, not only the quarters
    // closed so far (which in the first hours of a day is too little of it to see), on the scale of the bars.
    await setCapacityTarget(module, TEST_TOKEN, 4);
    const today = async () =>
      (await (await fetch(`${module.http.url}/api/v1/history/quarters`)).json()) as { day: string; startTs: number[] };
    try {
      const before = await today();
      await page.goto(`${module.http.url}/#capacity`);
      const running = await seriesColor('chart-quarters', 'this quarter (projected)');
      const band = slotShade(running);
      await drawn('chart-quarters', 'quarters', [['target']], 100);
      const shot = await shoot('chart-quarters', 'quarters');
      expect(countColor(shot.png, shot.plot, band, 6)).toBeGreaterThan(100);
      // its bar is the projection, when there is one to see
      const projectedKw = module.live.quarter?.projectedKw ?? 0;
      if (projectedKw >= 0.3) expect(countColor(shot.png, shot.plot, running)).toBeGreaterThan(10);
      const closed = countColor(shot.png, shot.plot, await seriesColor('chart-quarters', 'quarter average'));
      // the stored quarters of today are bars; none before the first quarter of the day has closed (a run across
      // midnight draws one day or the other: not judged)
      const after = await today();
      if (after.day === before.day) expect(closed > 0).toBe(after.startTs.length > 0);
      expect(await pageWidth('capacity')).toBeLessThanOrEqual(390);
    } finally {
      // the later tests see the module as the config left it
      await setCapacityTarget(module, TEST_TOKEN, null);
    }
  }, 40_000);

  it("keeps the day's last quarter (23:45) on the chart while it runs", async () => {
    // The live chart is in that quarter only from 23:45 to midnight: drawn here from a made-up day. On a time scale
    // that ended at the last slot's start, its bar and band fell off the plot (found by a CI run at 23:59).
    await page.goto(`${module.http.url}/#capacity`);
    // as text: vitest would rewrite an import() written in the test's own code
    await page.evaluate(`(async () => {
      const { quartersChart } = await import('${module.http.url}/charts.js');
      const el = document.createElement('div');
      el.dataset.testid = 'chart-probe';
      document.querySelector('[data-testid=chart-quarters]').after(el);
      const dayStartTs = Date.UTC(2025, 0, 14, 23);
      const startTs = Array.from({ length: 95 }, (_, i) => dayStartTs + i * ${QUARTER_MS});
      const chart = quartersChart(el);
      chart.load({ dayStartTs, dayEndTs: dayStartTs + 96 * ${QUARTER_MS}, targetKw: 4, startTs, avgKw: startTs.map(() => 2),
        targetsKw: startTs.map(() => 4) });
      chart.running({ startTs: dayStartTs + 95 * ${QUARTER_MS}, projectedKw: 3 }, 4);
    })()`);
    const running = await seriesColor('chart-probe', 'this quarter (projected)');
    const band = slotShade(running);
    const shot = await shoot('chart-probe', 'quarters-last');
    // the last slot is the plot's right end: its band and bar stand there
    const last = { ...shot.plot, x: shot.plot.x + shot.plot.width - 8, width: 8 };
    expect(countColor(shot.png, last, running)).toBeGreaterThan(50);
    expect(countColor(shot.png, shot.plot, band, 6)).toBeGreaterThan(40);
    await page.getByTestId('chart-probe').evaluate((el) => el.remove());
  }, 40_000);

  it('draws 24 h of import and export from the store', async () => {
    const power = (await (await fetch(`${module.http.url}/api/v1/history/power`)).json()) as { ts: number[] };
    // one point a minute: the payload stays small
    expect(power.ts.length).toBeGreaterThan(1300);
    expect(power.ts.length).toBeLessThanOrEqual(1441);
    await drawn('chart-power', 'power-24h', [['import'], ['export']]);
  }, 40_000);

  it('resizes the charts with the page', async () => {
    await page.goto(`${module.http.url}/#capacity`);
    /** The chart's canvas width and the width of the box it must fill. */
    const widths = () =>
      page.getByTestId('chart-power').evaluate((el) => [el.querySelector('canvas')?.clientWidth ?? 0, el.clientWidth]);
    const fits = async () => {
      const [canvas = 0, box = -1] = await widths();
      return canvas === box ? canvas : -1;
    };
    await expect.poll(fits, { timeout: 10_000 }).toBeGreaterThan(250);
    const phone = await fits();
    expect(phone).toBeLessThanOrEqual(390);
    // wider screen, several cards a row: each chart takes its card's new width
    await page.setViewportSize({ width: 1000, height: 844 });
    await expect.poll(async () => (await fits()) > 0 && (await fits()) !== phone, { timeout: 10_000 }).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(fits, { timeout: 10_000 }).toBe(phone);
  }, 30_000);

  it('ran without a script error or a policy violation', () => {
    expect(browserErrors).toEqual([]);
  });
});

/**
 * Debian's chromium driven by playwright-core, as every browser test here runs it: headless, a profile of
 * its own, and quiet (no network of its own, no first-run work; no sandbox, as CI runs as root).
 */
import { type BrowserContext, chromium } from 'playwright-core';

const QUIET_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A phone's viewport: the dashboard is built for one. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };

export interface ChromiumOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  deviceScaleFactor?: number;
  /** Flags beyond the quiet ones (e.g. a host resolver rule). */
  args?: string[];
}

export function launchChromium(profileDir: string, options: ChromiumOptions = {}): Promise<BrowserContext> {
  const { args = [], ...rest } = options;
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ...rest,
    args: [...QUIET_ARGS, ...args],
  });
}

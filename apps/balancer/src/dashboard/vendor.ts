import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The chart library's files the dashboard loads from `vendor/`: served from the npm package while
 * developing, copied beside the production bundle's dashboard by build/bundle.ts. No CDN.
 */
export const VENDOR_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'] as const;

/** uPlot's dist folder in node_modules; null when the package cannot be resolved (a copied bundle). */
export function uplotDistDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  } catch {
    return null;
  }
}

import { PNG } from 'pngjs';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Rgb = [number, number, number];

/** "rgb(31, 119, 180)" or "rgba(…)" as the browser's computed style gives it. */
export function parseCssRgb(css: string): Rgb {
  const m = css.match(/^rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (!m) throw new Error(`not an rgb() colour: ${css}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * How many pixels of a screenshot, inside `rect`, are `color` give or take `tolerance` per channel
 * (antialiased edges blend into the background; the middle of a 2 px line or a bar does not).
 */
export function countColor(png: Buffer, rect: Rect, color: Rgb, tolerance = 24): number {
  const image = PNG.sync.read(png);
  const x0 = Math.max(0, Math.round(rect.x));
  const y0 = Math.max(0, Math.round(rect.y));
  const x1 = Math.min(image.width, Math.round(rect.x + rect.width));
  const y1 = Math.min(image.height, Math.round(rect.y + rect.height));
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * 4;
      if (
        Math.abs((image.data[i] as number) - color[0]) <= tolerance &&
        Math.abs((image.data[i + 1] as number) - color[1]) <= tolerance &&
        Math.abs((image.data[i + 2] as number) - color[2]) <= tolerance
      ) {
        n++;
      }
    }
  }
  return n;
}

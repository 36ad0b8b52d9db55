/** Number and text fields as meters write them; shared by the encoder and the meter simulator. */

const POW10 = [1, 10, 100, 1000, 10000, 100000];
const ZEROS = '0000000000000000';

/**
 * A fixed-width field: `formatFixed(301.548, 6, 3)` → `000301.548`. Integer arithmetic instead of
 * toFixed (it runs ~40 times per telegram in the simulator); a value too wide for its field wraps
 * like the meter's own register. A negative value keeps its sign in front of one digit fewer.
 */
export function formatFixed(value: number, intDigits: number, decimals: number): string {
  const scale = POW10[decimals] ?? 10 ** decimals;
  const scaled = Math.round(value * scale);
  // Rounding first: float noise just below zero is written as zero, not "-0.000".
  if (scaled < 0) return `-${formatFixed(-value, Math.max(1, intDigits - 1), decimals)}`;
  let digits = String(scaled);
  const width = intDigits + decimals;
  if (digits.length < width) digits = ZEROS.slice(0, width - digits.length) + digits;
  else if (digits.length > width) digits = digits.slice(digits.length - width);
  return decimals > 0 ? `${digits.slice(0, intDigits)}.${digits.slice(intDigits)}` : digits;
}

/** An integer with leading zeros: `formatInt(5, 5)` → `00005`. */
export function formatInt(value: number, digits: number): string {
  return formatFixed(Math.round(value), digits, 0);
}

const hexCache = new Map<string, string>();

/** Text as meters send ids and messages: the upper-case hex of its UTF-8 bytes (cached: ids repeat). */
export function hexText(text: string): string {
  let hex = hexCache.get(text);
  if (hex === undefined) {
    hex = Buffer.from(text, 'utf8').toString('hex').toUpperCase();
    if (hexCache.size > 1000) hexCache.clear();
    hexCache.set(text, hex);
  }
  return hex;
}

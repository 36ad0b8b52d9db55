/**
 * Two lists of strings with the same content. Mostly the very same string objects (a meter repeats
 * its lines every second and the parser reuses them), so this is usually reference comparisons.
 */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

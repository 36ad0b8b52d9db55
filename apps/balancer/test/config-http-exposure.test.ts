/** The two HTTP keys of issue 14 §10: http.openHomeWizardApi and http.allowedHosts. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config';

const base = 'version: 1\nmeter: { source: simulator }\n';

describe('http.openHomeWizardApi and http.allowedHosts', () => {
  it('default to closed and none', () => {
    const r = parseConfigText(base);
    expect(r.ok && r.config.http).toMatchObject({ openHomeWizardApi: false, allowedHosts: [] });
  });

  it('are read when given', () => {
    const r = parseConfigText(
      `${base}http: { host: 0.0.0.0, openHomeWizardApi: true, allowedHosts: [p1.home.arpa] }\n`,
    );
    expect(r.ok && r.config.http).toMatchObject({ openHomeWizardApi: true, allowedHosts: ['p1.home.arpa'] });
  });

  it('a wrong value is a problem naming the key', () => {
    const r = parseConfigText(`${base}http: { openHomeWizardApi: yes please, allowedHosts: p1.home.arpa }\n`);
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems.some((p) => p.startsWith('http.openHomeWizardApi'))).toBe(true);
    expect(problems.some((p) => p.startsWith('http.allowedHosts'))).toBe(true);
  });
});

/** `pnpm --silent p1 parse` end to end: files, stdin, Smarty, exit codes and error sentences. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIX = resolve(ROOT, 'fixtures/telegrams');
const tmp = mkdtempSync(join(tmpdir(), 'p1-parse-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function p1(args: string[], input?: Buffer) {
  const r = spawnSync('pnpm', ['--silent', 'p1', 'parse', ...args], {
    cwd: ROOT,
    input,
    encoding: 'buffer',
    timeout: 60_000,
  });
  const stdout = r.stdout.toString();
  return {
    code: r.status,
    lines:
      stdout.trim() === ''
        ? []
        : stdout
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
    stderr: r.stderr.toString().replace(/^\[ELIFECYCLE\].*\n?/m, ''),
  };
}

describe('p1 parse', () => {
  it('prints one JSON object per telegram of a file, exit 0 when all are ok', () => {
    const r = p1([join(FIX, 'be-emucs/fluvius-3ph-gas-water-2023-11.txt')]);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatchObject({
      ok: true,
      crc: 'valid',
      protocol: 'emucs',
      timestamp: '2023-11-02T12:15:48+01:00',
    });
    expect(r.lines[0].capacity.monthPeakKw).toBe(3.064);
  });

  it('a raw capture: frames in stream order, the cut-off one failed, exit 1', () => {
    const r = p1([join(FIX, 'other/stream-iskra-am550-raw-excerpt.txt')]);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => l.ok)).toEqual([true, true, true, false]);
    expect(r.lines[3].error.code).toBe('truncated');
  });

  it('reads stdin (with -, and without a FILE)', () => {
    const files = [
      'nl-dsmr5/sagemcom-t211-3ph-2023-11.txt',
      'nl-dsmr4/kaifa-dsmr42-2016-11.txt',
      'legacy-dsmr22/kamstrup-dsmr22-2012-05.txt',
    ];
    const input = Buffer.concat(files.map((f) => readFileSync(join(FIX, f))));
    for (const args of [['-'], []]) {
      const r = p1(args, input);
      expect(r.code).toBe(0);
      expect(r.lines.map((l) => l.header)).toEqual(['Ene5\\T211 ESMR 5.0', 'KFM5KAIFA-METER', 'KMP5 ZABF001587315111']);
    }
  });

  it('the corrupted telegram: exit 1 with crc_mismatch', () => {
    const r = p1([join(FIX, 'other/corrupt-sagemcom-t210d-crc-mismatch-2018-06.txt')]);
    expect(r.code).toBe(1);
    expect(r.lines[0].error.code).toBe('crc_mismatch');
  });

  it('decrypts a Smarty capture with --smarty-key; a wrong key gives decrypt_failed', () => {
    const bin = join(tmp, 'smarty.bin');
    const hex = readFileSync(join(FIX, 'lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt'), 'latin1').trim();
    writeFileSync(bin, Buffer.from(hex, 'hex'));
    const ok = p1(['--smarty-key', 'D491470F47126332B07D1923B3504188', bin]);
    expect(ok.code).toBe(0);
    expect(ok.lines[0]).toMatchObject({ ok: true, protocol: 'smarty', header: 'Lux5\\253663629_D' });
    const wrong = p1(['--smarty-key', 'D491470F47126332B07D1923B3504189', bin]);
    expect(wrong.code).toBe(1);
    expect(wrong.lines[0].error.code).toBe('decrypt_failed');
  });

  it('an empty input says so in one sentence, exit 1', () => {
    const r = p1(['-'], Buffer.alloc(0));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([]);
    expect(r.stderr.trim()).toBe('p1 parse: standard input is empty: no telegram to parse.');
  });

  it('a program binary is not read as telegrams: every frame of /bin/ls is rejected', () => {
    const r = p1(['/bin/ls']);
    expect(r.code).toBe(1);
    expect(r.lines.length).toBeGreaterThan(0);
    expect(r.lines.filter((l) => l.ok)).toEqual([]);
  });

  it.each([
    [['/no/such/file.p1'], /cannot read \/no\/such\/file\.p1: no such file/],
    [['--smarty-key', 'xyz', 'f'], /--smarty-key must be 32 hex digits/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['a', 'b'], /expected one FILE/],
    [['--device', '/dev/null', '--baud', '300'], /--baud must be 115200/],
  ])('usage and I/O errors exit 2 with one sentence: %j', (args, message) => {
    const r = p1(args);
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/**
 * Every real telegram in fixtures/telegrams, parsed through the streaming framer.
 * Expected values are taken from the files (by eye in the table, and by an independent line
 * reader for every OBIS line), never from the parser's own output.
 */
import { describe, expect, it } from 'vitest';
import { type Frame, OBIS, type Reading, TelegramFramer } from '../src/index';
import { fixture, fixtureNames, SMARTY_FIXTURE_KEY } from './fixtures';

function framesOf(name: string): Frame[] {
  const framer = new TelegramFramer(
    name.startsWith('lu-smarty/smarty-lux5-encrypted') ? { smartyKey: SMARTY_FIXTURE_KEY } : {},
  );
  return [...framer.push(fixture(name)), ...framer.end()];
}

function only(name: string): Reading {
  const frames = framesOf(name);
  expect(frames).toHaveLength(1);
  return (frames[0] as Frame).reading;
}

/** Per file: what the frames must be (ok/crc/error code), from PROVENANCE.md. */
const OUTCOMES: Record<string, string[]> = {
  'be-emucs/emucs-v1.7.1-spec-example-3ph.txt': ['ok valid'],
  'be-emucs/emucs-v2.1.1-spec-example-1-3ph.txt': ['crc_mismatch invalid'],
  'be-emucs/emucs-v2.1.1-spec-example-2-1ph.txt': ['crc_mismatch invalid'],
  'be-emucs/fluvius-1ph-gas-2023-02.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-13-month-peaks-2025-05.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-gas-2024-01-a.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-gas-2024-01-b.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-gas-2024-01-c.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-gas-water-2023-11.txt': ['ok valid'],
  'be-emucs/fluvius-3ph-no-mbus-2023-06.txt': ['ok valid'],
  'legacy-dsmr22/dsmr3-example-hex-text-message.txt': ['ok absent'],
  'legacy-dsmr22/iskra-mt382-dsmr22-2021-11.txt': ['ok absent'],
  // Stored without its '!' line: cut off by the end of the input (the '/' in its message does not split it).
  'legacy-dsmr22/iskra-mt382-text-message-with-slash.txt': ['truncated absent'],
  'legacy-dsmr22/kamstrup-162-dsmr22-2016-01.txt': ['ok absent'],
  'legacy-dsmr22/kamstrup-dsmr22-2012-05.txt': ['ok absent'],
  'legacy-dsmr22/landisgyr-xmx-dsmr22-2019-02.txt': ['ok absent'],
  'lu-smarty/luxembourg-spec-example.txt': ['ok valid'],
  // Genuine meter output with a wrong inner CRC: rejected in the clear, accepted after a verified GCM tag.
  'lu-smarty/smarty-lux5-decrypted-2018-01.txt': ['crc_mismatch invalid'],
  'lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt': ['ok invalid'],
  'nl-dsmr4/kaifa-dsmr42-2016-11.txt': ['ok valid'],
  'nl-dsmr4/kaifa-dsmr42-7-power-failures-2022-09.txt': ['ok valid'],
  'nl-dsmr4/kaifa-dsmr42-gas-on-ch2-2020-04.txt': ['ok valid'],
  'nl-dsmr4/landisgyr-e350-dsmr42-2019-09.txt': ['ok valid'],
  'nl-dsmr4/landisgyr-e350-dsmr42-clock-unset.txt': ['ok valid'],
  'nl-dsmr5/iskra-am550e-1ph-gas-2019-03.txt': ['ok valid'],
  'nl-dsmr5/iskra-am550e-1ph-gas-2020-09.txt': ['ok valid'],
  'nl-dsmr5/iskra-am550t-3ph-2019-03.txt': ['ok valid'],
  'nl-dsmr5/iskra-am550t-3ph-gas-2022-01.txt': ['ok valid'],
  'nl-dsmr5/iskra-am550t-3ph-two-mbus-2020-04.txt': ['ok valid'],
  'nl-dsmr5/iskra-dsmr5-example-2017-01.txt': ['ok valid'],
  'nl-dsmr5/mcs-anonymised-quirks.txt': ['ok valid'],
  'nl-dsmr5/sagemcom-cx2000-10-power-failures-2018-12.txt': ['ok valid'],
  'nl-dsmr5/sagemcom-t211-3ph-2023-11.txt': ['ok valid'],
  'nl-dsmr5/sagemcom-xs210-1ph-gas-2017-11.txt': ['ok valid'],
  'other/at-sagemcom-t210dr-wh-units-2022-10.txt': ['ok valid'],
  'other/corrupt-sagemcom-t210d-crc-mismatch-2018-06.txt': ['crc_mismatch invalid'],
  'other/de-easymeter-q3d-com1-no-crc.txt': ['ok absent'],
  'other/hu-eon-sagemcom-2023-07.txt': ['ok valid'],
  'other/nl-warmtelink-heat-unpadded-crc-2026-02.txt': ['ok valid'],
  // Starts mid-telegram (skipped), three complete telegrams, then one cut after 200 bytes.
  'other/stream-iskra-am550-raw-excerpt.txt': ['ok valid', 'ok valid', 'ok valid', 'truncated absent'],
  // A telegram cut off mid-line by the next one, which is complete.
  'other/stream-truncated-then-restart.txt': ['truncated absent', 'ok valid'],
};

describe('every fixture', () => {
  const names = fixtureNames().filter((n) => n.endsWith('.txt'));

  it('covers all 41 files of the fixture set', () => {
    expect(names).toHaveLength(41);
    expect(Object.keys(OUTCOMES).sort()).toEqual(names);
  });

  it.each(names)('%s frames as PROVENANCE.md says', (name) => {
    const got = framesOf(name).map((f) => `${f.reading.ok ? 'ok' : f.reading.error?.code} ${f.reading.crc}`);
    expect(got).toEqual(OUTCOMES[name]);
  });

  /** An independent reader of the file's OBIS lines: code → value groups (continuation lines appended). */
  function obisLinesOf(text: string): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let last: string[] | null = null;
    for (const line of text.split(/\r?\n/)) {
      const m = /^(\d+-\d+:\d+\.\d+\.\d+(?:\*\d+)?)((?:\([^()]*\))+)$/.exec(line);
      const groups = (s: string) => [...s.matchAll(/\(([^()]*)\)/g)].map((g) => g[1] as string);
      if (m) {
        last = groups(m[2] as string);
        out.set(m[1] as string, last);
      } else if (/^(\([^()]*\))+$/.test(line) && last) last.push(...groups(line));
    }
    return out;
  }

  const NUMERIC: [string, (r: Reading) => number | null | undefined][] = [
    [OBIS.ENERGY_IMPORT_T1, (r) => r.energy.importT1Kwh],
    [OBIS.ENERGY_IMPORT_T2, (r) => r.energy.importT2Kwh],
    [OBIS.ENERGY_EXPORT_T1, (r) => r.energy.exportT1Kwh],
    [OBIS.ENERGY_EXPORT_T2, (r) => r.energy.exportT2Kwh],
    [OBIS.POWER_IMPORT, (r) => r.power.importKw],
    [OBIS.POWER_EXPORT, (r) => r.power.exportKw],
    [OBIS.VOLTAGE_L1, (r) => r.phases.find((p) => p.phase === 1)?.voltageV],
    [OBIS.VOLTAGE_L2, (r) => r.phases.find((p) => p.phase === 2)?.voltageV],
    [OBIS.VOLTAGE_L3, (r) => r.phases.find((p) => p.phase === 3)?.voltageV],
    [OBIS.CURRENT_L1, (r) => r.phases.find((p) => p.phase === 1)?.currentA],
    [OBIS.CURRENT_L2, (r) => r.phases.find((p) => p.phase === 2)?.currentA],
    [OBIS.CURRENT_L3, (r) => r.phases.find((p) => p.phase === 3)?.currentA],
    [OBIS.POWER_IMPORT_L1, (r) => r.phases.find((p) => p.phase === 1)?.importKw],
    [OBIS.POWER_IMPORT_L2, (r) => r.phases.find((p) => p.phase === 2)?.importKw],
    [OBIS.POWER_IMPORT_L3, (r) => r.phases.find((p) => p.phase === 3)?.importKw],
    [OBIS.POWER_EXPORT_L1, (r) => r.phases.find((p) => p.phase === 1)?.exportKw],
    [OBIS.QUARTER_AVERAGE, (r) => r.capacity?.quarterAverageKw],
  ];

  it.each(names.filter((n) => !n.includes('encrypted')))('%s: obis map and numbers match the file', (name) => {
    const text = fixture(name).toString('latin1');
    for (const frame of framesOf(name).filter((f) => f.reading.ok)) {
      const r = frame.reading;
      const lines = obisLinesOf(Buffer.from(frame.raw).toString('latin1'));
      expect(lines.size).toBeGreaterThan(0);
      expect(Object.keys(r.obis).sort()).toEqual([...lines.keys()].sort());
      for (const [code, groups] of lines) expect(r.obis[code], code).toEqual(groups);
      for (const [code, get] of NUMERIC) {
        const raw = lines.get(code)?.[0];
        if (raw === undefined) continue;
        const [num, unit] = raw.split('*');
        const expected = unit === 'W' || unit === 'Wh' ? Number(num) / 1000 : Number(num);
        expect(get(r), `${name} ${code}`).toBeCloseTo(expected, 9);
      }
      expect(text).toContain(`/${r.header}`);
    }
  });
});

describe('values read by eye from the files', () => {
  it('Belgian 3-phase with gas and water (e-MUCS 1.7.1)', () => {
    const r = only('be-emucs/fluvius-3ph-gas-water-2023-11.txt');
    expect(r).toMatchObject({
      protocol: 'emucs',
      header: 'FLU5\\253769484_A',
      version: '50217',
      timestamp: '2023-11-02T12:15:48+01:00',
      equipmentId: '1SAG3100721326',
      tariff: 1,
      limiterKw: 999.9,
      breakerState: 1,
      fuseSupervisionA: 999,
      message: null,
      powerFailures: null,
    });
    expect(r.energy.importKwh).toBeCloseTo(301.548 + 270.014, 9);
    expect(r.phases.map((p) => p.currentA)).toEqual([0.27, 0.88, 0.52]);
    expect(r.capacity).toEqual({
      quarterAverageKw: 0.052,
      monthPeakKw: 3.064,
      monthPeakAt: '2023-11-02T11:45:00+01:00',
      history: [
        { periodAt: '2023-08-01T00:00:00+02:00', peakAt: null, peakKw: 0 },
        { periodAt: '2023-09-01T00:00:00+02:00', peakAt: '2023-08-31T18:15:00+02:00', peakKw: 1.862 },
        { periodAt: '2023-10-01T00:00:00+02:00', peakAt: '2023-09-10T18:30:00+02:00', peakKw: 4.229 },
        { periodAt: '2023-11-01T00:00:00+01:00', peakAt: '2023-10-16T13:00:00+02:00', peakKw: 4.927 },
      ],
    });
    expect(r.mbus).toEqual([
      {
        channel: 1,
        deviceType: 3,
        kind: 'gas',
        equipmentId: '7FLO2123088027',
        value: 92.287,
        unit: 'm3',
        at: '2023-11-02T12:10:02+01:00',
      },
      {
        channel: 2,
        deviceType: 7,
        kind: 'water',
        equipmentId: '8SET0000961173',
        value: 8.579,
        unit: 'm3',
        at: '2023-11-02T12:15:32+01:00',
      },
    ]);
  });

  it('Belgian 13-month capacity history, first month empty', () => {
    const r = only('be-emucs/fluvius-3ph-13-month-peaks-2025-05.txt');
    expect(r.capacity?.history).toHaveLength(13);
    expect(r.capacity?.history[0]).toEqual({ periodAt: expect.any(String), peakAt: null, peakKw: 0 });
    expect(r.capacity?.monthPeakKw).toBe(1.194);
    expect(r.capacity?.monthPeakAt).toBe('2025-05-01T10:15:00+02:00');
    expect(r.phases[0]?.currentA).toBe(8.54);
    expect(r.mbus).toEqual([]);
  });

  it('Belgian 1-phase: only L1 is reported', () => {
    const r = only('be-emucs/fluvius-1ph-gas-2023-02.txt');
    expect(r.phases.map((p) => p.phase)).toEqual([1]);
    expect(r.phases[0]?.currentA).toBe(1.38);
    expect(r.mbus[0]).toMatchObject({ kind: 'gas', value: 555.937, at: '2023-02-11T11:10:04+01:00' });
  });

  it('Dutch DSMR 5 two M-Bus channels: the empty one has no id and a null time (700101…)', () => {
    const r = only('nl-dsmr5/iskra-am550t-3ph-two-mbus-2020-04.txt');
    expect(r.protocol).toBe('dsmr');
    expect(r.version).toBe('50');
    expect(r.mbus.map((m) => [m.channel, m.kind, m.equipmentId, m.value, m.at])).toEqual([
      [1, 'gas', null, 0, null],
      [2, 'gas', 'G0039001936990619', 246.138, '2020-04-26T22:30:01+02:00'],
    ]);
    expect(r.powerFailures).toEqual({
      count: 5,
      longCount: 3,
      log: [{ endedAt: '2019-03-26T09:50:15+01:00', durationS: 2014 }],
    });
  });

  it('Kaifa DSMR 4.2: sentinel power-failure entries are null, not 2000-01-01 or 2^31', () => {
    const r = only('nl-dsmr4/kaifa-dsmr42-7-power-failures-2022-09.txt');
    expect(r.powerFailures?.log).toHaveLength(7);
    // (000101000001W)(2147483647*s) is an empty slot; (000101185853W)(0000067432*s) a real
    // failure while the clock was unset: its time is unknown, its duration is not.
    expect(r.powerFailures?.log.slice(3)).toEqual([
      { endedAt: null, durationS: null },
      { endedAt: null, durationS: 67432 },
      { endedAt: null, durationS: 620 },
      { endedAt: null, durationS: null },
    ]);
    expect(r.powerFailures?.log[0]).toEqual({ endedAt: '2022-08-26T14:58:25+02:00', durationS: 4982 });
    expect(JSON.stringify(r)).not.toMatch(/"(19|20)(70|00)-01-01T/);
  });

  it('clock not set: placeholder timestamps are null and the rest still parses', () => {
    const r = only('nl-dsmr4/landisgyr-e350-dsmr42-clock-unset.txt');
    expect(r.ok).toBe(true);
    expect(r.timestamp).toBeNull();
    expect(r.mbus[0]?.at).toBeNull();
    expect(r.energy.importT1Kwh).toBe(24.487);
  });

  it('DSMR 2.2: gas value on the line after 24.3.0, time without S/W gets the EU offset', () => {
    const r = only('legacy-dsmr22/iskra-mt382-dsmr22-2021-11.txt');
    expect(r.crc).toBe('absent');
    expect(r.mbus).toEqual([
      {
        channel: 2,
        deviceType: 3,
        kind: 'gas',
        equipmentId: '28011008306429013',
        value: 13376.292,
        unit: 'm3',
        at: '2021-11-23T20:00:00+01:00',
      },
    ]);
    const legacy = r.obis[OBIS.mbus(2, OBIS.MBUS_READING_LEGACY)];
    expect(legacy).toEqual(['211123200000', '00', '60', '1', OBIS.mbus(2, OBIS.MBUS_READING), 'm3', '13376.292']);
    expect(r.limiterKw).toBe(999);
  });

  it('DSMR 2.2 threshold in A is not a power', () => {
    const r = only('legacy-dsmr22/kamstrup-dsmr22-2012-05.txt');
    expect(r.limiterKw).toBeNull();
    expect(r.obis[OBIS.LIMITER_THRESHOLD]).toEqual(['999*A']);
    expect(r.mbus[0]?.at).toBe('2012-05-17T02:00:00+02:00');
  });

  it('hex text messages are decoded', () => {
    const r = only('legacy-dsmr22/dsmr3-example-hex-text-message.txt');
    expect(r.message).toBe('0123456789:;<=>?'.repeat(5));
  });

  it("a '/' inside a text message does not split the telegram", () => {
    const raw = fixture('legacy-dsmr22/iskra-mt382-text-message-with-slash.txt');
    const framer = new TelegramFramer();
    const frames = [...framer.push(Buffer.concat([raw, Buffer.from('!\r\n')])), ...framer.end()];
    expect(frames).toHaveLength(1);
    expect(frames[0]?.reading).toMatchObject({ ok: true, message: 'test-/-test', crc: 'absent' });
  });

  it('Luxembourg Smarty: decrypted with the key, wrong inner CRC reported but not used to reject', () => {
    const r = only('lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt');
    const clear = only('lu-smarty/smarty-lux5-decrypted-2018-01.txt');
    expect(r).toMatchObject({ ok: true, crc: 'invalid', protocol: 'smarty', header: 'Lux5\\253663629_D' });
    expect(r.timestamp).toBe('2018-01-30T10:21:22+01:00');
    expect(r.energy.importKwh).toBe(6.695);
    expect(r.obis).toEqual(clear.obis);
    expect(r.powerFailures?.count).toBe(69);
  });

  it('Smarty with a wrong key: decrypt_failed', () => {
    const framer = new TelegramFramer({ smartyKey: '00'.repeat(16) });
    const frames = [...framer.push(fixture('lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt')), ...framer.end()];
    expect(frames.map((f) => f.reading.error?.code)).toEqual(['decrypt_failed']);
  });

  it('Luxembourg spec example: four M-Bus channels, water with placeholder times', () => {
    const r = only('lu-smarty/luxembourg-spec-example.txt');
    expect(r.protocol).toBe('smarty');
    expect(r.mbus.map((m) => `${m.channel}:${m.kind}:${m.at === null ? 'null' : 'time'}`)).toEqual([
      '1:gas:time',
      '2:water:null',
      '3:water:null',
      '4:gas:time',
    ]);
    expect(r.limiterKw).toBe(69);
    expect(r.phases.map((p) => p.voltageV)).toEqual([233, 0, 1]);
  });

  it('Austrian meter in W and Wh: converted to kW and kWh', () => {
    const r = only('other/at-sagemcom-t210dr-wh-units-2022-10.txt');
    expect(r.energy.importKwh).toBe(6545.766);
    expect(r.energy.importT1Kwh).toBe(5017.12);
    expect(r.power.importKw).toBe(0.286);
    expect(r.protocol).toBe('other');
  });

  it('Hungarian 98.1.0 billing snapshot is not mistaken for a capacity history', () => {
    const r = only('other/hu-eon-sagemcom-2023-07.txt');
    expect(r.capacity).toBeNull();
    expect(r.energy.importKwh).toBe(173.64);
    expect(r.obis[OBIS.PEAK_HISTORY]?.[0]).toBe('230701000000S');
  });

  it('EasyMeter (*255 codes, W units, no CRC, trailing gateway bytes)', () => {
    const r = only('other/de-easymeter-q3d-com1-no-crc.txt');
    expect(r.energy.importKwh).toBeCloseTo(52185.7825309, 9);
    expect(r.power.importKw).toBeCloseTo(2.12486, 9);
    expect(r.phases.map((p) => p.importKw)).toEqual([0.74785, 0.73728, 0.63973]);
    expect(r.equipmentId).toBe('1ESY1313002565');
  });

  it('district heating on M-Bus, CRC of 3 hex digits', () => {
    const r = only('other/nl-warmtelink-heat-unpadded-crc-2026-02.txt');
    expect(r.crc).toBe('valid');
    expect(r.mbus).toEqual([
      {
        channel: 1,
        deviceType: 4,
        kind: 'heat',
        equipmentId: '621848012D2C0B0C',
        value: 240.86,
        unit: 'GJ',
        at: '2026-02-15T20:05:23+01:00',
      },
    ]);
  });

  it('the real corrupted telegram is rejected with both CRCs named', () => {
    const r = only('other/corrupt-sagemcom-t210d-crc-mismatch-2018-06.txt');
    expect(r.error?.code).toBe('crc_mismatch');
    expect(r.error?.message).toContain('6D8C');
    expect(r.error?.message).toContain('8BDC');
    expect(r.energy.importKwh).toBeNull();
  });

  it('stream excerpt: exactly its three complete telegrams, one second apart', () => {
    const ok = framesOf('other/stream-iskra-am550-raw-excerpt.txt').filter((f) => f.reading.ok);
    expect(ok.map((f) => f.reading.timestamp)).toEqual([
      '2019-03-24T15:05:19+01:00',
      '2019-03-24T15:05:20+01:00',
      '2019-03-24T15:05:21+01:00',
    ]);
  });

  it('cut-off telegram then restart: the complete one is read', () => {
    const frames = framesOf('other/stream-truncated-then-restart.txt');
    expect(frames[1]?.reading.timestamp).toBe('2022-05-28T15:02:45+02:00');
    expect(frames[0]?.reading.header).toBe('ISK5\\2M550T-1012');
  });
});

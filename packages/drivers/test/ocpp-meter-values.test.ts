/**
 * What the fuse loop needs from a charger's meter values: currents per phase often enough, the time
 * they were sampled, and a log that says once (not every message) when a charger sends nonsense.
 */
import { OCPP16 } from '@p1/ocpp16';
import { RPCClient } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import type { OcppCharger } from '../src/charger/ocpp/ocpp-charger';
import { capabilities, chargePoint, startSystem, until } from './ocpp-harness';

describe('meter values set up at connect', () => {
  it('sets a 5 s interval and Current.Import per phase; samples then come no more often than that', {
    timeout: 40_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }],
      meterValueSampleIntervalS: 5,
    });
    const charger = system.charger('cp1');
    // out of the box many chargers sample the energy register only
    const cp = chargePoint(system.url, 'cp1', { password: 'pw', sampledData: ['Energy.Active.Import.Register'] });
    await cp.start();
    await until(() => logger.lines.some((l) => l.msg === 'MeterValuesSampledData set'), 'configured');
    expect(logger.lines.find((l) => l.msg === 'MeterValueSampleInterval set')?.obj).toMatchObject({ intervalS: 5 });
    expect(logger.lines.find((l) => l.msg === 'MeterValuesSampledData set')?.obj.sampledData).toBe(
      'Energy.Active.Import.Register,Current.Import.L1,Current.Import.L2,Current.Import.L3',
    );
    const ats: number[] = [];
    charger.on('measurement', (m) => {
      if (m.currentA.every((a) => a !== null) && ats.at(-1) !== m.at) ats.push(m.at);
    });
    await until(() => ats.length >= 3, 'three samples', 30_000);
    for (let i = 1; i < ats.length; i++) expect(ats[i]! - ats[i - 1]!).toBeGreaterThanOrEqual(4_900);
  });

  it('by default asks for 1 s, and takes 5 s from a charger that refuses shorter', { timeout: 30_000 }, async () => {
    const { system, logger } = await startSystem({
      chargers: ['cp1', 'cp2'].map((id) => ({ capabilities: capabilities(id), password: 'pw' })),
      meterValueSampleIntervalS: undefined, // the module's default
    });
    await chargePoint(system.url, 'cp1', { password: 'pw' }).start();
    await chargePoint(system.url, 'cp2', { password: 'pw', minSampleIntervalS: 5 }).start();
    const set = (id: string) =>
      logger.lines.filter((l) => l.msg === 'MeterValueSampleInterval set' && l.obj.chargerId === id);
    await until(() => set('cp1').length > 0 && set('cp2').length > 0, 'both configured');
    expect(set('cp1').map((l) => l.obj.intervalS)).toEqual([1]);
    expect(set('cp2').map((l) => l.obj.intervalS)).toEqual([5]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('refused'))).toEqual([]);
  });

  it('a charger that refuses the keys is warned about once, however often it reconnects', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }],
      meterValueSampleIntervalS: 5,
    });
    const cp = chargePoint(system.url, 'cp1', {
      password: 'pw',
      changeableKeys: [],
      sampledData: ['Energy.Active.Import.Register'],
    });
    await cp.start();
    const configured = () => logger.lines.filter((l) => l.msg === 'fail-safe default profile installed').length;
    await until(() => configured() === 1, 'first configuration');
    for (const n of [2, 3]) {
      await cp.dropConnection(100);
      await until(() => configured() === n, `configuration ${n}`);
    }
    const warnings = logger.lines.filter(
      (l) => l.level === 'warn' && /refused (MeterValueSampleInterval|to sample)/.test(l.msg),
    );
    expect(warnings.map((l) => l.msg)).toEqual([
      'charger refused MeterValueSampleInterval: its currents may be old when they arrive',
      'charger refused to sample Current.Import: the balancer assumes it draws its whole limit',
    ]);
  });
});

/** A charge point on the wire that sends exactly the MeterValues a test writes. */
const RAW_PW = 'Raw-Secret-9';

async function rawChargePoint(url: string): Promise<RPCClient> {
  const client = new RPCClient({
    endpoint: url,
    identity: 'cp1',
    password: RAW_PW,
    protocols: [OCPP16],
    strictMode: true,
    reconnect: false,
    // biome-ignore lint/suspicious/noExplicitAny: the library's typings require every option.
  } as any);
  client.handle('GetConfiguration', async () => ({ configurationKey: [], unknownKey: [] }));
  client.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
  client.handle('SetChargingProfile', async () => ({ status: 'Accepted' }));
  client.handle('ClearChargingProfile', async () => ({ status: 'Accepted' }));
  await client.connect();
  await client.call('BootNotification', { chargePointVendor: 'test', chargePointModel: 'raw' });
  return client;
}

function meterValues(timestamp: number, l1: string, unit = 'A') {
  return {
    connectorId: 1,
    meterValue: [
      {
        timestamp: new Date(timestamp).toISOString(),
        sampledValue: ['L1', 'L2', 'L3'].map((phase, i) => ({
          measurand: 'Current.Import',
          phase,
          unit: i === 0 ? unit : 'A',
          value: i === 0 ? l1 : '10',
        })),
      },
    ],
  };
}

describe('a sample as the charger took it', () => {
  it("measurement.at is the sample's own time; an older sample arriving later changes nothing", {
    timeout: 30_000,
  }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: RAW_PW }] });
    const charger: OcppCharger = system.charger('cp1');
    const client = await rawChargePoint(system.url);
    const now = Date.now();
    await client.call('MeterValues', meterValues(now - 30_000, '12'));
    expect(charger.measurement.at).toBe(now - 30_000);
    expect(charger.measurement.currentA).toEqual([12, 10, 10]);
    await client.call('MeterValues', meterValues(now - 40_000, '3')); // queued, delivered late
    expect(charger.measurement.currentA).toEqual([12, 10, 10]);
    expect(charger.measurement.at).toBe(now - 30_000);
    // a clock ahead of ours: taken as of its arrival, never as fresher than that
    await client.call('MeterValues', meterValues(Date.now() + 3_600_000, '11'));
    expect(charger.measurement.currentA).toEqual([11, 10, 10]);
    expect(charger.measurement.at).toBeLessThanOrEqual(Date.now());
    await client.close();
  });

  it('an implausible current is logged once per episode; a current not in A counts as unknown', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: RAW_PW }],
    });
    const charger = system.charger('cp1');
    const client = await rawChargePoint(system.url);
    const implausible = () => logger.lines.filter((l) => l.msg.startsWith('charger reports an implausible current'));
    for (let i = 0; i < 5; i++) await client.call('MeterValues', meterValues(Date.now(), '16000'));
    // passed on as reported: judging it against the site is the balancer's part
    expect(charger.measurement.currentA).toEqual([16000, 10, 10]);
    expect(implausible()).toHaveLength(1);
    expect(implausible()[0]?.obj).toMatchObject({ chargerId: 'cp1', currentA: { L1: 16000 }, maxA: 32 });
    await client.call('MeterValues', meterValues(Date.now(), '9'));
    for (let i = 0; i < 3; i++) await client.call('MeterValues', meterValues(Date.now(), '-500'));
    expect(implausible()).toHaveLength(2); // a new episode

    for (let i = 0; i < 4; i++) await client.call('MeterValues', meterValues(Date.now(), '16', 'W'));
    expect(charger.measurement.currentA).toEqual([null, 10, 10]);
    const unusable = logger.lines.filter((l) => l.msg.includes('the module cannot use'));
    expect(unusable).toHaveLength(1);
    expect(unusable[0]?.obj.values).toEqual(['16 W']);
    expect(logger.text()).not.toContain(RAW_PW);
    await client.close();
  });
});

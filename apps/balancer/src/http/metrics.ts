import type { LiveState } from '../live/live-state';

type Sample = [labels: Record<string, string | number>, value: number | null | undefined];

/** Prometheus text exposition; every metric name starts with `p1_`. */
export function renderMetrics(live: LiveState): string {
  const out: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Sample[]): void => {
    const present = samples.filter((s): s is [Record<string, string | number>, number] => typeof s[1] === 'number');
    if (present.length === 0) return;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of present) {
      const l = Object.entries(labels).map(([k, v]) => `${k}="${String(v).replace(/["\\\n]/g, '_')}"`);
      out.push(`${name}${l.length ? `{${l.join(',')}}` : ''} ${value}`);
    }
  };
  const r = live.reading?.ok ? live.reading : null;
  const s = live.snapshot();
  metric('p1_power_import_watts', 'gauge', 'Grid import power.', [
    [{}, r?.power.importKw == null ? null : r.power.importKw * 1000],
  ]);
  metric('p1_power_export_watts', 'gauge', 'Grid export power.', [
    [{}, r?.power.exportKw == null ? null : r.power.exportKw * 1000],
  ]);
  metric(
    'p1_line_current_amperes',
    'gauge',
    'Current per grid line.',
    s.lines.map((l) => [{ line: l.phase }, l.currentA]),
  );
  metric(
    'p1_line_voltage_volts',
    'gauge',
    'Voltage per grid line.',
    s.lines.map((l) => [{ line: l.phase }, l.voltageV]),
  );
  metric('p1_fuse_amperes', 'gauge', 'Main fuse rating.', [[{}, live.site.fuseA]]);
  metric('p1_energy_import_kwh_total', 'counter', 'Meter import register.', [[{}, r?.energy.importKwh]]);
  metric('p1_energy_export_kwh_total', 'counter', 'Meter export register.', [[{}, r?.energy.exportKwh]]);
  metric('p1_quarter_average_kw', 'gauge', 'Running quarter-hour average import.', [[{}, s.quarter?.averageKw]]);
  metric('p1_quarter_projected_kw', 'gauge', 'Projected quarter-hour average.', [[{}, s.quarter?.projectedKw]]);
  metric('p1_capacity_target_kw', 'gauge', 'Quarter-hour peak target.', [[{}, live.site.capacityTargetKw]]);
  metric('p1_month_peak_kw', 'gauge', "This month's highest quarter-hour average.", [[{}, s.month.peakKw]]);
  metric(
    'p1_charger_limit_amperes',
    'gauge',
    'Limit decided for each charger.',
    s.chargers.map((c) => [{ charger: c.id }, c.limitA]),
  );
  metric(
    'p1_charger_current_amperes',
    'gauge',
    'Measured charger current per line.',
    s.chargers.flatMap((c) => c.currentA.map((a, i): Sample => [{ charger: c.id, line: c.phases[i] ?? i + 1 }, a])),
  );
  metric(
    'p1_charger_session_kwh',
    'gauge',
    'Energy of the running session.',
    s.chargers.map((c) => [{ charger: c.id }, c.sessionKwh]),
  );
  metric(
    'p1_charger_connected',
    'gauge',
    'Charger connected (1) or not (0).',
    s.chargers.map((c) => [{ charger: c.id }, c.connected ? 1 : 0]),
  );
  const counters = live.meter.counters;
  metric('p1_telegrams_total', 'counter', 'Telegrams received by result.', [
    [{ result: 'ok' }, counters.goodFrames],
    [{ result: 'rejected' }, counters.badFrames],
  ]);
  metric('p1_meter_bytes_total', 'counter', 'Bytes read from the meter.', [[{}, counters.bytes]]);
  metric('p1_meter_reconnects_total', 'counter', 'Meter reconnections.', [[{}, counters.reconnects]]);
  metric('p1_decision_changes_total', 'counter', 'Charger limit changes decided.', [[{}, live.decisionChanges]]);
  metric('p1_sse_clients', 'gauge', 'Connected dashboard/SSE clients.', [[{}, live.sseClients]]);
  metric('p1_process_resident_memory_bytes', 'gauge', 'Resident memory of the module.', [
    [{}, process.memoryUsage.rss()],
  ]);
  return `${out.join('\n')}\n`;
}

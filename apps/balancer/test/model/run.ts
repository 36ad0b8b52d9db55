/**
 * Plays one sequence of events on the rig and checks the invariants after every second of virtual time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMeterIso } from '@p1/dsmr';
import { APPLIANCES, type ModelEvent, type Sequence, STARTS } from './events';
import { type ChargerSample, Invariants, type Violation } from './invariants';
import { type ChargerSetup, ModuleRig } from './rig';

export const FUSE_A = 25;
/** The cars follow a new limit after 3 s (IEC 61851 allows 5). */
export const CAR_LAG_S = 3;
/** The OCPP limit's lease (s): shorter than the default 120 s so that runs cross it several times. */
export const LEASE_S = 60;
/** The module settles on its first telegrams before the first event. */
const WARM_UP_S = 20;
/** The store's month peaks are checked this often (virtual s). */
const STORE_CHECK_EVERY_S = 60;

/** A three-phase car on cp1 and a single-phase car on cp2, on line 1 (the line the oven and the hob share). */
export const CHARGERS: ChargerSetup[] = [
  { id: 'cp1', lines: [1, 2, 3], maxA: 16, safeA: 6, car: { phases: 3, maxA: 16, lagS: CAR_LAG_S, rampS: 10 } },
  { id: 'cp2', lines: [1], maxA: 16, safeA: 6, car: { phases: 1, maxA: 16, lagS: CAR_LAG_S, rampS: 10 } },
];

export interface RunResult {
  violations: Violation[];
  virtualS: number;
  realMs: number;
  quarters: number;
  /** The events as played, at their virtual second (a restart's wait for the charge points shifts them). */
  played: PlayedEvent[];
}

export interface PlayedEvent {
  atS: number;
  event: ModelEvent;
}

export interface RunOptions {
  logLevel?: string;
  /** Gets one line per second of what the physics and the module show (to read a failing sequence). */
  trace?: (line: string) => void;
}

/** Runs `sequence` on a fresh module (fresh SQLite store) and returns what broke. */
export async function runSequence(sequence: Sequence, options: RunOptions = {}): Promise<RunResult> {
  const began = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'p1-model-'));
  const startMs = Date.parse(STARTS[sequence.start]);
  const rig = await ModuleRig.start({
    dir,
    startMs,
    fuseA: FUSE_A,
    capacityTargetKw: sequence.capacityTargetKw,
    solar: 'off',
    leaseS: LEASE_S,
    baseLoadKw: 0.3,
    chargers: CHARGERS,
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });
  const registers = rig.meter.simulation.registers;
  const meterPeaks = [
    { month: formatMeterIso(startMs).slice(0, 7), peakKw: registers.monthPeakKw ?? 0 },
    ...registers.history.map((h) => ({
      month: formatMeterIso(h.peakAtMs ?? h.periodAtMs).slice(0, 7),
      peakKw: h.peakKw ?? 0,
    })),
  ];
  const invariants = new Invariants(
    { fuseA: FUSE_A, carLagS: CAR_LAG_S, ownerTargetKw: sequence.capacityTargetKw },
    meterPeaks,
  );
  const player = new Player(rig, invariants, startMs, options.trace);
  try {
    await player.wait(WARM_UP_S);
    for (const step of sequence.steps) {
      await player.play(step.event);
      await player.wait(step.thenS);
    }
    const module = rig.module;
    if (module)
      invariants.checkStoredPeaks(player.tS, rig.meter.simulation.nowMs + 60_000, module.store.monthPeaks(100));
  } finally {
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    violations: invariants.violations,
    virtualS: player.tS,
    realMs: performance.now() - began,
    quarters: invariants.quarters.length,
    played: player.played,
  };
}

/** Plays events on the rig and feeds every second's physics to the invariants. */
class Player {
  readonly played: PlayedEvent[] = [];
  private readonly undo: { atMs: number; run: () => void }[] = [];

  constructor(
    private readonly rig: ModuleRig,
    private readonly invariants: Invariants,
    private readonly startMs: number,
    private readonly trace?: (line: string) => void,
  ) {}

  get tS(): number {
    return Math.round((this.rig.clock.nowMs - this.startMs) / 1000);
  }

  async wait(seconds: number): Promise<void> {
    await this.rig.run(seconds, () => this.afterSecond());
  }

  private afterSecond(): void {
    const now = this.rig.clock.nowMs;
    for (let i = this.undo.length - 1; i >= 0; i--) {
      const u = this.undo[i] as { atMs: number; run: () => void };
      if (u.atMs <= now) {
        this.undo.splice(i, 1);
        u.run();
      }
    }
    const simulation = this.rig.meter.simulation;
    const module = this.rig.module;
    const live = module?.live;
    const chargers: ChargerSample[] = this.rig.chargers.map((c) => {
      const view = live?.chargers.find((v) => v.id === c.setup.id);
      return {
        id: c.setup.id,
        lines: c.setup.lines,
        safeA: c.setup.safeA,
        connected: c.cp.connected,
        moduleConnected: view?.connected ?? false,
        transaction: c.cp.transactionId !== null,
        offeredA: c.cp.offeredA,
        drawnA: c.cp.drawnA,
        decidedA: view?.limitA ?? null,
        reason: view?.reason ?? null,
      };
    });
    const electrical = simulation.electrical;
    this.invariants.observe({
      tS: this.tS,
      meterMs: simulation.nowMs,
      lineA: electrical.phases.map((p) => p.currentA),
      carLineA: this.rig.carLineA,
      importKw: electrical.importKw,
      carKw: this.rig.carKw,
      silent: this.rig.meterSilent(),
      clockOff: this.rig.meterClockOff(),
      moduleUp: module !== null,
      chargers,
      moduleTargetKw: live?.quarter?.targetKw ?? null,
    });
    if (this.trace) this.traceLine(chargers);
    if (module && this.tS % STORE_CHECK_EVERY_S === 0) {
      this.invariants.checkStoredPeaks(this.tS, simulation.nowMs, module.store.monthPeaks(100));
    }
  }

  private traceLine(chargers: ChargerSample[]): void {
    const simulation = this.rig.meter.simulation;
    const live = this.rig.module?.live;
    const f = (n: number | null | undefined, d = 1) => (n === null || n === undefined ? '-' : n.toFixed(d));
    const cars = chargers
      .map(
        (c) =>
          `${c.id}${c.connected ? '' : '(off)'}${c.transaction ? '' : '(no tx)'} ${f(c.offeredA)}/${f(c.drawnA)}/${f(c.decidedA)} ${c.reason}`,
      )
      .join(' | ');
    const control = live?.meter.control;
    const q = live?.quarter;
    this.trace?.(
      `${this.tS} ${formatMeterIso(simulation.nowMs).slice(5, 19)} L ${simulation.electrical.phases.map((p) => f(p.currentA)).join(' ')}` +
        ` | ${cars} | ${control ? `${control.data}/${control.clock}${control.failsafe ? '/FS' : ''}` : 'down'}` +
        ` | q ${f(q?.averageKw, 2)} used ${f(q?.energyKwh, 3)} tgt ${f(q?.targetKw, 2)} | meter ${f(live?.reading?.capacity?.quarterAverageKw, 3)} peak ${f(live?.reading?.capacity?.monthPeakKw, 3)} ${live?.reading?.timestamp?.slice(5, 19) ?? ''}`,
    );
  }

  async play(event: ModelEvent): Promise<void> {
    this.played.push({ atS: this.tS, event });
    this.trace?.(`${this.tS} EVENT ${JSON.stringify(event)}`);
    const rig = this.rig;
    switch (event.kind) {
      case 'appliance': {
        const a = APPLIANCES[event.name];
        rig.setLoad(event.name, a.lines, event.on ? a.kw : 0);
        return;
      }
      case 'settings': {
        const patch = {
          ...(event.capacityTargetKw !== undefined ? { capacityTargetKw: event.capacityTargetKw } : {}),
          ...(event.solar !== undefined ? { solar: event.solar } : {}),
        };
        await rig.patchSettings(patch);
        if (event.capacityTargetKw !== undefined) this.invariants.targetChanged(event.capacityTargetKw);
        return;
      }
      case 'chargerDrop':
        rig.dropCharger(event.charger, event.downS);
        return;
      case 'meterSilent':
        rig.meterFault({ kind: 'outage', durationS: event.durationS });
        return;
      case 'meterFrozen':
        rig.meterFault({ kind: 'freeze', durationS: event.durationS });
        return;
      case 'clockJump':
        rig.meterFault({ kind: 'clockJump', offsetS: event.offsetS, durationS: event.durationS });
        return;
      case 'bogusCurrent': {
        const cp = rig.charger(event.charger).cp;
        cp.injectFault({ kind: 'misreport-current', currentA: event.currentA });
        this.undo.push({
          atMs: rig.clock.nowMs + event.durationS * 1000,
          run: () => cp.clearFault('misreport-current'),
        });
        return;
      }
      case 'restart':
        await this.restart(event.downS);
        return;
      case 'unplug':
        await rig.unplug(event.charger);
        return;
      case 'plugIn':
        await rig.plugIn(event.charger);
        return;
    }
  }

  /** Stop, `downS` virtual seconds without the module, start on the same store; nothing stored may be lost. */
  private async restart(downS: number): Promise<void> {
    const rig = this.rig;
    // a charge point whose network is down comes back to the running module first
    while (!rig.chargersConnected() || rig.chargers.some((c) => rig.clock.nowMs < c.downUntilMs)) await this.wait(1);
    const before = rig.storeFacts();
    await rig.stopModule();
    if (downS > 0) await this.wait(downS);
    await rig.startAgain();
    const after = rig.storeFacts();
    for (const p of before.monthPeaks) {
      const kept = after.monthPeaks.find((a) => a.month === p.month);
      if (!kept || kept.peakKw < p.peakKw) {
        this.invariants.restartLost(
          this.tS,
          `the month peak of ${p.month} was ${p.peakKw} kW, after the restart ${kept?.peakKw ?? 'gone'}`,
        );
      }
    }
    for (const s of before.sessions) {
      const kept = after.sessions.find((a) => a.id === s.id);
      if (!kept || kept.energyKwh < s.energyKwh - 1e-9) {
        this.invariants.restartLost(
          this.tS,
          `session ${s.id} of ${s.chargerId} (${s.energyKwh} kWh) after the restart: ${JSON.stringify(kept ?? null)}`,
        );
      }
    }
    if (after.seconds < before.seconds) {
      this.invariants.restartLost(
        this.tS,
        `${before.seconds} stored seconds before the restart, ${after.seconds} after`,
      );
    }
  }
}

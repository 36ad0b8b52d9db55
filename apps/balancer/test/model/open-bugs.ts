/**
 * Violations the model test has found and written down as regression tests (regressions.test.ts), whose fix
 * belongs to the balancer or the drivers. The CI run still plays every event; it only tolerates a violation
 * one of these explains, so that anything new fails it. When a fix lands, its regression test (`it.fails`)
 * turns red: delete the entry here and the `.fails` there.
 */
import type { ModelEvent } from './events';
import type { Violation } from './invariants';
import type { PlayedEvent } from './run';

export interface OpenBug {
  /** The regression test that shows it. */
  test: string;
  /** `all`: every violation of the run, for one that follows from an earlier one. */
  explains(v: Violation, played: readonly PlayedEvent[], all: readonly Violation[]): boolean;
}

const before = <K extends ModelEvent['kind']>(played: readonly PlayedEvent[], atS: number, kind: K) =>
  played.filter((p) => p.atS <= atS && p.event.kind === kind).map((p) => p.event as Extract<ModelEvent, { kind: K }>);

export const OPEN_BUGS: readonly OpenBug[] = [
  {
    test: 'the overdraw watch cuts a charger on the current the balancer found implausible',
    // the charger's id leads the message: "cp1 offers 0 A since …"
    explains: (v, played, all) => {
      const cut = (w: Violation) =>
        w.invariant === 'applied' &&
        before(played, w.atS, 'bogusCurrent').some((e) => w.message.startsWith(`${e.charger} `));
      // the module then shares the line believing the cut charger draws what it decided: a late cut follows
      return cut(v) || (v.invariant === 'fuse' && all.some((w) => w.atS <= v.atS && cut(w)));
    },
  },
  {
    test: 'a meter clock a quarter behind stores a month peak the house never reached',
    explains: (v, played) =>
      (v.invariant === 'month-peak' || v.invariant === 'target') && before(played, v.atS, 'clockJump').length > 0,
  },
  {
    test: 'a quiet meter’s seconds raise the stored month peak above the meter’s own',
    explains: (v, played) =>
      (v.invariant === 'month-peak' || v.invariant === 'target') &&
      before(played, v.atS, 'meterSilent').length + before(played, v.atS, 'meterFrozen').length > 0,
  },
  {
    test: 'a charger whose network is down is counted at 0 A while it keeps its last limit',
    // the run over the fuse starts while the charger is away (or a few seconds after it is back)
    explains: (v, played) =>
      v.invariant === 'fuse' &&
      played.some((p) => p.event.kind === 'chargerDrop' && p.atS <= v.atS && v.atS <= p.atS + p.event.downS + 15),
  },
];

export function openBugOf(
  v: Violation,
  played: readonly PlayedEvent[],
  all: readonly Violation[],
): OpenBug | undefined {
  return OPEN_BUGS.find((b) => b.explains(v, played, all));
}

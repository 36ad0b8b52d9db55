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
  explains(v: Violation, played: readonly PlayedEvent[]): boolean;
}

const before = <K extends ModelEvent['kind']>(played: readonly PlayedEvent[], atS: number, kind: K) =>
  played.filter((p) => p.atS <= atS && p.event.kind === kind).map((p) => p.event as Extract<ModelEvent, { kind: K }>);

export const OPEN_BUGS: readonly OpenBug[] = [
  {
    test: 'the overdraw watch cuts a charger on the current the balancer found implausible',
    // the charger's id leads the message: "cp1 offers 0 A since …"
    explains: (v, played) =>
      v.invariant === 'applied' &&
      before(played, v.atS, 'bogusCurrent').some((e) => v.message.startsWith(`${e.charger} `)),
  },
  {
    test: 'a meter clock a quarter behind stores a month peak the house never reached',
    explains: (v, played) =>
      (v.invariant === 'month-peak' || v.invariant === 'target') && before(played, v.atS, 'clockJump').length > 0,
  },
  {
    test: 'a restart and then a quiet meter store a month peak above the meter’s own',
    explains: (v, played) => {
      if (v.invariant !== 'month-peak' && v.invariant !== 'target') return false;
      const restartS = played.findLast((p) => p.atS <= v.atS && p.event.kind === 'restart')?.atS;
      return (
        restartS !== undefined &&
        played.some(
          (p) =>
            p.atS >= restartS && p.atS <= v.atS && (p.event.kind === 'meterSilent' || p.event.kind === 'meterFrozen'),
        )
      );
    },
  },
];

export function openBugOf(v: Violation, played: readonly PlayedEvent[]): OpenBug | undefined {
  return OPEN_BUGS.find((b) => b.explains(v, played));
}

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

/** For an entry's `explains`: the events of a kind played up to `atS`. */
export const eventsBefore = <K extends ModelEvent['kind']>(played: readonly PlayedEvent[], atS: number, kind: K) =>
  played.filter((p) => p.atS <= atS && p.event.kind === kind).map((p) => p.event as Extract<ModelEvent, { kind: K }>);

export const OPEN_BUGS: readonly OpenBug[] = [];

export function openBugOf(
  v: Violation,
  played: readonly PlayedEvent[],
  all: readonly Violation[],
): OpenBug | undefined {
  return OPEN_BUGS.find((b) => b.explains(v, played, all));
}

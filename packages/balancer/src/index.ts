export { type AllocItem, type AllocLimits, type AllocResult, allocate } from './allocate';
export { createBalancer } from './balancer';
export type * from './charger-state';
export {
  DEFAULT_UNSEEN_STEP_KW,
  describeLoad,
  type HeldRoom,
  HouseModel,
  type LearnedLoad,
  type LoadSummary,
} from './house-model';
export { type ClockState, MeterClock } from './meter-clock';
export { parseMeterTime } from './meter-view';
export { type ClosedQuarter, MIN_BILLED_KW, QUARTER_MS, QuarterBudget } from './quarter-budget';
export { HELD_MARGIN, type Plan, type PlanInput, planQuarter, START_MARGIN_KW, THIN_CONFIRM_S } from './quarter-plan';
export { REASON_TEXTS, REASONS, type Reason, reasonText } from './reasons';
export {
  DEFAULT_CAPACITY_MARGIN_KW,
  DEFAULT_MIN_CHARGE_S,
  DEFAULT_MIN_PAUSE_S,
  DEFAULT_PHASE_SWITCH_DELAY_S,
  DEFAULT_PHASE_SWITCH_HOLD_S,
} from './settings';
export { ampsForKw, CONNECTIONS, type Connection, connectionLines, kwForAmps, LINE_V, linesInUse } from './site';
export type * from './types';

export { type AllocItem, type AllocLimits, type AllocResult, allocate } from './allocate';
export { createBalancer } from './balancer';
export type * from './charger-state';
export { MIN_BILLED_KW, QUARTER_MS, QuarterBudget } from './quarter-budget';
export { ampsForKw, CONNECTIONS, type Connection, connectionLines, kwForAmps, LINE_V, linesInUse } from './site';
export type * from './types';

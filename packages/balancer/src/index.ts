export type * from './charger-state';
export { ampsForKw, type Connection, connectionLines, kwForAmps, LINE_V, linesInUse } from './site';
export type * from './types';

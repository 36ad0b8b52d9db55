export {
  brusselsOffsetMin,
  inDailyWindow,
  meterIso,
  meterTimeOfDayS,
  parseStart,
  parseTimeOfDay,
  secondsUntilTimeOfDay,
} from './clock';
export { createEv, type Ev, type EvOptions } from './ev';
export { createHouse, type House, type HouseState, loadIsOn } from './house';
export { addToLines, allLines } from './lines';
export { DEFAULT_START, parseScenario, ScenarioError } from './parse';
export { createRng, hashUnit, type Rng } from './prng';
export { createPv, type PvModel, sunElevationSin } from './pv';
export type * from './scenario';

export { createThermal, THERMAL, type ThermalCharacteristic, type ThermalModel, tauFor } from './bench/breaker';
export { createMeter, faultWindows, type Meter, outageWindows } from './bench/meter';
export { METRIC_KEYS, type Metrics, quarterTarget } from './bench/metrics';
export { optimalEvEnergyKwh } from './bench/optimal';
export { renderPlotSvg } from './bench/plot';
export {
  chargerCapabilities,
  configForScenario,
  type Over145Event,
  type RunOptions,
  type RunResult,
  runScenario,
  type Trace,
} from './bench/runner';
export { REFERENCE_STRATEGIES, type StrategyFactory, strategies } from './bench/strategies';
export {
  brusselsOffsetMin,
  createLocalClock,
  formatTimeOfDay,
  inDailyWindow,
  meterIso,
  meterTimeOfDayS,
  parseStart,
  parseTimeOfDay,
  secondsUntilTimeOfDay,
} from './clock';
export { createEv, type Ev, type EvOptions } from './ev';
export {
  brokenPromises,
  type FleetOptions,
  type FleetReport,
  type FleetRun,
  fleetReport,
  type PromiseRow,
  runFleet,
} from './fleet/fleet';
export {
  fleetHouse,
  type HouseOutcome,
  type HouseVariant,
  type Margins,
  runHouse,
  variantOf,
} from './fleet/house-run';
export { formatFleetReport, writeFleetFiles } from './fleet/output';
export {
  ENERGY_PROMISES,
  FLEET_ENERGY_GOALS,
  type HousePromise,
  keepsSafety,
  PROMISES,
  SAFETY_PROMISES,
} from './fleet/promises';
export { HIGHER_IS_BETTER, quantile, type Summary, summarize } from './fleet/stats';
export {
  createHouse,
  type House,
  type HouseState,
  type HouseTimeline,
  houseTimeline,
  loadIsOn,
  STEP_MIN_A,
} from './house';
export { APPLIANCES, type Appliance } from './houses/appliances';
export { houseSeed } from './houses/draw';
export { type GenerateOptions, generateHouse, generateHouses } from './houses/generate';
export { PROFILES, type Profile } from './houses/sites';
export { addToLines, allLines } from './lines';
export { loadScenario } from './load';
export { DEFAULT_START, parseScenario, ScenarioError } from './parse';
export { createRng, hashUnit, type Rng } from './prng';
export { createPv, type PvModel, sunElevationSin } from './pv';
export type * from './scenario';

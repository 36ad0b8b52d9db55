/** The meter side of @p1/drivers. */

export { Backoff, type DiagnosisOptions, FramedMeterSource, type FramingOptions } from './framed-source';
export type { HttpMeterConfig } from './http-source';
export type { MeterCounters, MeterDiagnosis, MeterSource, MeterSourceEvents } from './meter-source';
export { createMeterSource, METER_SOURCE_KINDS, type MeterSourceConfig, type MeterSourceKind } from './registry';
export type { ReplayMeterConfig } from './replay-source';
export { serialSettings } from './serial-settings';
export type { SerialMeterConfig, SerialOpenOptions, SerialPortLike } from './serial-source';
export { isoLocal, isSummerTime, localTime, meterTimestamp } from './sim/clock';
export type { Connection } from './sim/electrical';
export {
  type ActiveFault,
  checkFaultRequest,
  FAULT_KINDS,
  FaultInjector,
  type FaultKind,
  type FaultRequest,
  type WireOutput,
} from './sim/faults';
export { findModel, METER_MODELS, type MeterModel } from './sim/models';
export { type Random, seededRandom } from './sim/random';
export { DEMO_SMARTY_KEY, MeterSimulation, type SimulationOptions, type TelegramOut } from './sim/simulation';
export { createSimulatedMeter, SimulatedMeterSource, type SimulatorMeterConfig } from './simulator-source';
export type { TcpMeterConfig } from './tcp-source';

/** The meter side of @p1/drivers. */
export type { MeterCounters, MeterDiagnosis, MeterSource, MeterSourceEvents } from './meter-source';
export { createMeterSource, METER_SOURCE_KINDS, type MeterSourceConfig, type MeterSourceKind } from './registry';
export { Backoff, FramedMeterSource, type DiagnosisOptions, type FramingOptions } from './framed-source';
export type { SerialMeterConfig, SerialOpenOptions, SerialPortLike } from './serial-source';
export { serialSettings } from './serial-settings';
export type { TcpMeterConfig } from './tcp-source';
export type { ReplayMeterConfig } from './replay-source';
export type { HttpMeterConfig } from './http-source';
export { createSimulatedMeter, SimulatedMeterSource, type SimulatorMeterConfig } from './simulator-source';
export { METER_MODELS, findModel, type MeterModel } from './sim/models';
export { MeterSimulation, DEMO_SMARTY_KEY, type SimulationOptions, type TelegramOut } from './sim/simulation';
export { FaultInjector, FAULT_KINDS, checkFaultRequest, type FaultKind, type FaultRequest, type ActiveFault, type WireOutput } from './sim/faults';
export { seededRandom, type Random } from './sim/random';
export { meterTimestamp, isoLocal, localTime, isSummerTime } from './sim/clock';
export type { Connection } from './sim/electrical';

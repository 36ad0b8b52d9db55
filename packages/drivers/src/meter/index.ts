/** The meter side of @p1/drivers. */

export { Backoff, type DiagnosisOptions, FramedMeterSource, type FramingOptions } from './framed-source';
export type { HttpMeterConfig } from './http-source';
export type { MeterCounters, MeterDiagnosis, MeterSource, MeterSourceEvents } from './meter-source';
export { createMeterSource, METER_SOURCE_KINDS, type MeterSourceConfig, type MeterSourceKind } from './registry';
export type { ReplayMeterConfig } from './replay-source';
export { serialSettings } from './serial-settings';
export type { SerialMeterConfig, SerialOpenOptions, SerialPortLike } from './serial-source';
export type { StreamMeterConfig } from './stream-source';
export type { TcpMeterConfig } from './tcp-source';

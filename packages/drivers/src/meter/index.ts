/** The meter side of @p1/drivers. */

export { Backoff, type DiagnosisOptions, FramedMeterSource, type FramingOptions } from './framed-source';
export { httpMeterEntry } from './http-entry';
export type { HttpMeterConfig } from './http-source';
export type { MeterCounters, MeterDiagnosis, MeterSource, MeterSourceEvents } from './meter-source';
export {
  createMeterSource,
  METER_SOURCE_KINDS,
  METER_SOURCES,
  type MeterSourceConfig,
  type MeterSourceKind,
} from './registry';
export { replayMeterEntry } from './replay-entry';
export type { ReplayMeterConfig } from './replay-source';
export { serialMeterEntry } from './serial-entry';
export { serialSettings } from './serial-settings';
export type { SerialMeterConfig, SerialOpenOptions, SerialPortLike } from './serial-source';
export { type MeterSourceCommon, type MeterSourceEntry, meterSourceEntry, smartyOf } from './source-entry';
export { streamMeterEntry } from './stream-entry';
export type { StreamMeterConfig } from './stream-source';
export { tcpMeterEntry } from './tcp-entry';
export type { TcpMeterConfig } from './tcp-source';

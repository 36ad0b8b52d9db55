export { crc16, crcHex } from './crc16';
export { encodeReading, encodeTelegram, type TelegramSource } from './encode';
export { formatFixed, formatInt, hexText } from './format';
export { type Frame, type FramerOptions, TelegramFramer } from './framer';
export { decodeHexText, mbusKind } from './normalize';
export * as OBIS from './obis';
export { createTelegramStream, type ParseOptions, parseTelegram } from './parse';
export type * from './reading';
export {
  checkSmartyKey,
  decryptSmarty,
  encryptSmarty,
  SMARTY_DEFAULT_AUTH_KEY,
  type SmartyFrameOptions,
  type SmartyKeys,
} from './smarty';
export {
  formatDsmrTimestamp,
  formatMeterIso,
  isEuSummerTime,
  type MeterLocalTime,
  meterLocalTime,
  meterOffset,
  PLACEHOLDER_TIMESTAMP,
  parseDsmrTimestamp,
  UNSET_CLOCK_TIMESTAMP,
} from './timestamp';

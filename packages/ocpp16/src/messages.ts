/** The payloads of the OCPP 1.6 messages this project sends or answers, named `<Action>Req` / `<Action>Conf`. */
import type {
  ChargePointErrorCode,
  ChargePointStatus,
  ChargingProfile,
  ChargingProfilePurposeType,
  ChargingProfileStatus,
  ClearChargingProfileStatus,
  ConfigurationStatus,
  IdTagInfo,
  KeyValue,
  MessageTrigger,
  MeterValue,
  Reason,
  RegistrationStatus,
  TriggerMessageStatus,
} from './types';

// ── Initiated by the charge point ─────────────────────────────────────────────────────────────

export interface BootNotificationReq {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}

export interface BootNotificationConf {
  status: RegistrationStatus;
  currentTime: string;
  /** Heartbeat interval (s). */
  interval: number;
}

export interface AuthorizeReq {
  idTag: string;
}

export interface AuthorizeConf {
  idTagInfo: IdTagInfo;
}

export interface StatusNotificationReq {
  connectorId: number;
  errorCode: ChargePointErrorCode;
  status: ChargePointStatus;
  info?: string;
  timestamp?: string;
  vendorId?: string;
  vendorErrorCode?: string;
}

export interface StartTransactionReq {
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}

export interface StartTransactionConf {
  transactionId: number;
  idTagInfo: IdTagInfo;
}

export interface StopTransactionReq {
  transactionId: number;
  meterStop: number;
  timestamp: string;
  idTag?: string;
  reason?: Reason;
  transactionData?: MeterValue[];
}

export interface MeterValuesReq {
  connectorId: number;
  transactionId?: number;
  meterValue: MeterValue[];
}

// ── Initiated by the central system ───────────────────────────────────────────────────────────

export interface SetChargingProfileReq {
  connectorId: number;
  csChargingProfiles: ChargingProfile;
}

export interface SetChargingProfileConf {
  status: ChargingProfileStatus;
}

/** Every criterion is optional; the charge point clears the profiles that match all given ones. */
export interface ClearChargingProfileReq {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: ChargingProfilePurposeType;
  stackLevel?: number;
}

export interface ClearChargingProfileConf {
  status: ClearChargingProfileStatus;
}

export interface GetConfigurationReq {
  key?: string[];
}

export interface GetConfigurationConf {
  configurationKey?: KeyValue[];
  unknownKey?: string[];
}

export interface ChangeConfigurationReq {
  key: string;
  value: string;
}

export interface ChangeConfigurationConf {
  status: ConfigurationStatus;
}

/** Without connectorId the charge point answers for each of its connectors. */
export interface TriggerMessageReq {
  requestedMessage: MessageTrigger;
  connectorId?: number;
}

export interface TriggerMessageConf {
  status: TriggerMessageStatus;
}

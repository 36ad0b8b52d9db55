/**
 * OCPP 1.6J from the charge point's side: the payloads this simulated charge point sends and the
 * ones it answers (a subset of the official schemas, which ocpp-rpc validates in strict mode).
 */

/** The websocket subprotocol. */
export const OCPP16 = 'ocpp1.6';

/** The connector states this charge point goes through (it never reserves, faults or stops for the car). */
export type ConnectorStatus = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEVSE' | 'Finishing';

// ── Sent by the charge point ──────────────────────────────────────────────────────────────────

/** One measured value of MeterValues (all values travel as decimal text). */
export interface Sample {
  value: string;
  measurand?: string;
  phase?: string;
  unit?: string;
  context?: string;
}

export interface BootNotificationConf {
  status: 'Accepted' | 'Pending' | 'Rejected';
  /** Heartbeat interval (s). */
  interval: number;
}

export interface AuthorizeConf {
  idTagInfo: { status: string };
}

export interface StartTransactionConf {
  transactionId: number;
  idTagInfo: { status: string };
}

// ── Answered by the charge point ──────────────────────────────────────────────────────────────

export interface SchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}

export type ProfilePurpose = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';

/** csChargingProfiles of SetChargingProfile. */
export interface ChargingProfile {
  chargingProfileId: number;
  stackLevel: number;
  chargingProfilePurpose: ProfilePurpose;
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: {
    duration?: number;
    startSchedule?: string;
    chargingRateUnit: 'A' | 'W';
    chargingSchedulePeriod: SchedulePeriod[];
  };
}

export interface SetChargingProfileReq {
  connectorId: number;
  csChargingProfiles: ChargingProfile;
}

export interface ClearChargingProfileReq {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: ProfilePurpose;
  stackLevel?: number;
}

/** One entry of the GetConfiguration answer. */
export interface KeyValue {
  key: string;
  readonly: boolean;
  value?: string;
}

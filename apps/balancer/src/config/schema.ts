/**
 * The configuration of `p1 run --config FILE` (CONTRACTS.md §5), schema version 1.
 * Validation is hand-written so every problem names its path (`chargers[0].maxA: …`) and
 * all problems are reported at once, not just the first.
 */

import type { Connection, SolarMode } from '@p1/balancer';

export const CONFIG_VERSION = 1;

export type MeterSourceKind = 'serial' | 'tcp' | 'replay' | 'http' | 'simulator';
export type ChargerDriver = 'ocpp' | 'simulated';

export interface MeterConfig {
  source: MeterSourceKind;
  /** serial */
  device: string | null;
  baud: number;
  /** tcp */
  host: string;
  port: number;
  /** replay */
  file: string | null;
  /** replay: 1 = real time; larger is faster. */
  speed: number;
  /** http: a HomeWizard-style P1 endpoint, e.g. http://192.168.1.20/api/v1/telegram */
  url: string | null;
  /** simulator: meter model name (see `p1-sim models`) and optional scenario file. */
  model: string;
  scenario: string | null;
  /** Luxembourg Smarty decryption key (hex); never logged. */
  smartyKey: string | null;
}

export interface SiteConfig {
  connection: Connection;
  fuseA: number;
  /** Belgian quarter-hour peak target (kW); null = fuse protection only. */
  capacityTargetKw: number | null;
  solar: SolarMode;
}

export interface ChargerConfig {
  id: string;
  driver: ChargerDriver;
  phases: (1 | 2 | 3)[];
  minA: number;
  maxA: number;
  /** Current the charger falls back to when the module is silent or stops. */
  safeA: number;
  switchPhases: boolean;
  priority: number;
  /** OCPP security profile 1 password; never logged. */
  password: string | null;
}

export interface HttpConfig {
  host: string;
  port: number;
  /** Bearer token for state-changing calls; null = generated at start and written to the state dir. */
  token: string | null;
  /** Bound beyond loopback: leave the HomeWizard API v1 GETs open without the token. */
  openHomeWizardApi: boolean;
  /** Host names the dashboard is reached by, besides localhost, IP addresses and the machine's name. */
  allowedHosts: string[];
}

export interface OcppConfig {
  host: string;
  port: number;
  /**
   * Lifetime (s) of the limit profile each charger gets; renewed while the module steers, so a module
   * that stops steering leaves the charger on its own fail-safe within this time.
   */
  failsafeLeaseS: number;
  heartbeatIntervalS: number;
  /** A charger drawing more than its acknowledged limit: grace, then cut, remote stop, report. */
  overdraw: { graceS: number; toleranceA: number; toleranceRatio: number };
}

export interface MqttConfig {
  url: string;
  username: string | null;
  password: string | null;
  /** Base topic for our state (`p1/…`). */
  topic: string;
  /** Home Assistant discovery prefix. */
  discoveryPrefix: string;
}

export interface RawP1Config {
  host: string;
  port: number;
}

export interface StoreConfig {
  /** SQLite file; its directory is created when missing. */
  path: string;
}

export interface AppConfig {
  version: 1;
  meter: MeterConfig;
  site: SiteConfig;
  chargers: ChargerConfig[];
  http: HttpConfig;
  ocpp: OcppConfig;
  mqtt: MqttConfig | null;
  rawP1: RawP1Config | null;
  store: StoreConfig;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
}

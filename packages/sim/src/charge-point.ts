/** The OCPP 1.6J charge point (`import '@p1/sim/charge-point'`, or `loadChargePointSimulator()`): loads ocpp-rpc. */
export {
  type ChargePointEvents,
  type ChargePointFault,
  SimulatedChargePoint,
  type SimulatedChargePointOptions,
} from './charger/charge-point';
export { type ChargePointFleet, type FleetOptions, startChargePointFleet } from './charger/fleet';
export { clearProfiles, type InstalledProfile, installProfile, offeredCurrentA } from './charger/profile-stack';
export { type ChargePointRunOptions, type RunningChargePoint, runChargePoint } from './charger/run-charge-point';

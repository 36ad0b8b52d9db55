/** The meter simulator as a library (the CLI is src/cli/p1-sim.ts): runtime, outputs and control API. */
export { createControlApi, listen } from './control-api';
export type { Output } from './outputs/output';
export { SerialOutput } from './outputs/serial-output';
export { type SocatOptions, SocatOutput } from './outputs/socat-output';
export { StreamOutput } from './outputs/stream-output';
export { TcpOutput } from './outputs/tcp-output';
export { createMeterInstance, type MeterInstance, type RuntimeOptions, SimulatorRuntime } from './runtime';

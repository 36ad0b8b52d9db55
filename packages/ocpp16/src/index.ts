/**
 * OCPP 1.6J as both ends of the wire see it: the central system in @p1/drivers and the simulated charge
 * point in @p1/sim import their payload shapes from here, so the two cannot drift apart.
 */

/** The websocket subprotocol both ends offer and accept. */
export const OCPP16 = 'ocpp1.6';

export type * from './messages';
export type * from './types';

/** The charge point's websocket: an ocpp-rpc client on subprotocol ocpp1.6 that validates every payload. */
import type { EventEmitter } from 'node:events';
import { OCPP16 } from '@p1/ocpp16';
import { RPCClient } from 'ocpp-rpc';

/** What the charge point uses of the client (the library's typings mark every option as required). */
export interface CentralSystemLink extends EventEmitter {
  readonly state: number;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  handle(method: string, handler: (call: { params: never }) => unknown): void;
  close(options?: { force?: boolean }): Promise<unknown>;
  connect(): Promise<unknown>;
}

/** The websocket's readyState while connected. */
export const LINK_OPEN = 1;

export interface LinkOptions {
  /** Central system URL without the identity, e.g. ws://127.0.0.1:9000 */
  endpoint: string;
  identity: string;
  /** Security profile 1 (HTTP basic auth). */
  password?: string;
  backoff: { initialDelay: number; maxDelay: number; factor: number; randomisationFactor: number };
}

export function connectCentralSystem(options: LinkOptions): CentralSystemLink {
  const client = new RPCClient({
    protocols: [OCPP16],
    strictMode: true,
    reconnect: true,
    callTimeoutMs: 30_000,
    ...options,
    // biome-ignore lint/suspicious/noExplicitAny: the library's typings require every option.
  } as any) as unknown as CentralSystemLink;
  // OCPP 1.6 has no RpcFrameworkError/MessageTypeNotSupported (2.0.1 codes ocpp-rpc answers a bad frame
  // with): a 1.6 charge point says FormationViolation.
  client.on('badMessage', (event: { response: unknown[] | null }) => {
    const r = event.response;
    if (r && (r[2] === 'RpcFrameworkError' || r[2] === 'MessageTypeNotSupported')) r[2] = 'FormationViolation';
  });
  return client;
}

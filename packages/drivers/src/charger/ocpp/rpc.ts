import type { EventEmitter } from 'node:events';
import { OCPP16 } from '@p1/ocpp16';
import { RPCServer } from 'ocpp-rpc';

/** What this driver uses of an ocpp-rpc peer (its bundled typings mark every option as required). */
export interface RpcPeer extends EventEmitter {
  readonly identity: string | undefined;
  call<T = unknown>(method: string, params?: unknown, options?: { callTimeoutMs?: number }): Promise<T>;
  handle(method: string, handler: (call: { params: never; method: string; messageId: string }) => unknown): void;
  close(options?: { code?: number; reason?: string; force?: boolean; awaitPending?: boolean }): Promise<unknown>;
  sendRaw(message: string): void;
}

/**
 * OCPP 1.6 (§4.2.3) knows no RpcFrameworkError or MessageTypeNotSupported: those came with 2.0.1.
 * ocpp-rpc answers an unparseable frame with them; rewrite them to FormationViolation, the 1.6 code
 * for "not conform the PDU structure". The listener runs before the library serialises the reply.
 */
export function useOcpp16ErrorCodes(peer: EventEmitter): void {
  peer.on('badMessage', (event: { response: unknown[] | null }) => {
    const code = event.response?.[2];
    if (event.response && (code === 'RpcFrameworkError' || code === 'MessageTypeNotSupported')) {
      event.response[2] = 'FormationViolation';
    }
  });
}

export function createRpcServer(options: { callTimeoutMs: number; pingIntervalMs: number }): RPCServer {
  return new RPCServer({ protocols: [OCPP16], strictMode: true, ...options });
}

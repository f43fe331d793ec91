import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Limits on what one client may hold of the intake listener. A stalled header or body is cut by
 * `requestTimeoutMs` (node's `requestTimeout`, checked every `checkIntervalMs`), headers must be in
 * by `headersTimeoutMs`, and one address may hold at most `maxConnectionsPerAddress` open connections.
 */
export interface IntakeLimits {
  /** The whole request, headers and body, must arrive within this. Default 30 s. */
  requestTimeoutMs?: number;
  /** The headers must arrive within this (never more than requestTimeoutMs). Default 10 s. */
  headersTimeoutMs?: number;
  /** Open connections one client address may hold; the rest are refused. Default 256. */
  maxConnectionsPerAddress?: number;
}

export const DEFAULT_INTAKE_LIMITS: Required<IntakeLimits> = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, maxConnectionsPerAddress: 256 };

export function resolveLimits(limits: IntakeLimits = {}): Required<IntakeLimits> & { checkIntervalMs: number } {
  const requestTimeoutMs = limits.requestTimeoutMs ?? DEFAULT_INTAKE_LIMITS.requestTimeoutMs;
  const headersTimeoutMs = Math.min(limits.headersTimeoutMs ?? DEFAULT_INTAKE_LIMITS.headersTimeoutMs, requestTimeoutMs);
  const maxConnectionsPerAddress = limits.maxConnectionsPerAddress ?? DEFAULT_INTAKE_LIMITS.maxConnectionsPerAddress;
  // Node checks the timeouts on an interval (30 s by default), which would double the bound; check often enough to keep it.
  const checkIntervalMs = Math.max(100, Math.min(1000, Math.floor(headersTimeoutMs / 2)));
  return { requestTimeoutMs, headersTimeoutMs, maxConnectionsPerAddress, checkIntervalMs };
}

/** What the server itself answers when a client breaks HTTP: `{error, message}` like every other refusal. */
function classify(code: string | undefined): { status: number; error: string; message: string } {
  if (code === 'HPE_HEADER_OVERFLOW') return { status: 431, error: 'headers_too_large', message: 'The request headers are too large' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, error: 'request_timeout', message: 'The request did not arrive in time' };
  return { status: 400, error: 'bad_request', message: 'The request is not valid HTTP' };
}

/**
 * Fastify's `clientErrorHandler`: writes the refusal on the raw socket (no request object exists yet,
 * or the one there never completed) and closes the connection.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const { status, error, message } = classify(err.code);
    const body = JSON.stringify({ error, message });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // A client that keeps the connection open after our FIN does not keep its socket.
    setTimeout(() => socket.destroy(), 1000).unref();
    return;
  }
  socket.destroy();
}

/**
 * Counts open connections per client address. Connections past the cap are marked at accept time;
 * the listener answers their first request `429 too_many_connections` with `Connection: close`, so
 * a client holding too many sockets learns why instead of seeing a reset.
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();
  private readonly over = new WeakSet<Socket>();

  constructor(server: Server, private readonly cap: number) {
    server.on('connection', (socket: Socket) => {
      const address = socket.remoteAddress ?? 'unknown';
      const n = (this.open.get(address) ?? 0) + 1;
      this.open.set(address, n);
      if (n > this.cap) this.over.add(socket);
      socket.once('close', () => {
        const left = (this.open.get(address) ?? 1) - 1;
        if (left <= 0) this.open.delete(address);
        else this.open.set(address, left);
      });
    });
  }

  isOverCap(socket: Socket): boolean {
    return this.over.has(socket);
  }

  get limit(): number {
    return this.cap;
  }
}

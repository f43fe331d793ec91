import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorCode } from '../../shared/errors.js';
import { PingdeskError, statusFor } from '../../shared/errors.js';
import { tokensMatch } from '../console/http-guards.js';
import { answerClientError, ConnectionsPerAddress, resolveLimits, type IntakeLimits } from './client-guards.js';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.js';
import type { IntakeAnswer } from './lead-intake.js';

export interface IntakeHandlers {
  submitLead(apiKey: string | null, body: unknown, idempotencyKey?: string): Promise<IntakeAnswer>;
  submitFeedback(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  /** `POST /v1/ping` and `POST /v1/post`: a publisher that pings first (inbound-ping.ts, inbound-post.ts). */
  submitPing?(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  submitPost?(apiKey: string | null, body: unknown, idempotencyKey?: string): Promise<IntakeAnswer>;
  /** 503 unless `ok`; while the storage is unavailable the body carries its `reason`. */
  health(): { status: 'ok' | 'draining' | 'storage_unavailable'; reason?: string | null; [k: string]: unknown };
  /** `POST /v1/revocations` (source or buyer key): suppress a consumer at once. */
  submitRevocation(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Told of requests refused before a handler runs (bad media type, size, JSON), for metrics. */
  refused?(code: ErrorCode): void;
}

export interface IntakeServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Cuts every open connection (a stop past its drain time); `close()` then resolves. */
  forceClose(): void;
}

const BODY_LIMIT = 64 * 1024;

function sendError(reply: FastifyReply, code: ErrorCode, message: string): FastifyReply {
  return reply.code(statusFor(code)).send({ error: code, message });
}

function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}

/**
 * The intake listener: `POST /v1/leads`, `POST /v1/feedback`, `POST /v1/revocations`, `GET /healthz`, `GET /metrics`.
 * Binds 127.0.0.1 unless configured. Only JSON is accepted (415), bodies over 64 KiB are refused
 * (413), and every error body carries `error` and a human `message`, also the server's own refusals
 * of broken clients (431, 408, 400; see client-guards.ts). `/metrics` needs the metrics key.
 */
export async function startIntakeServer(opts: {
  host: string;
  port: number;
  handlers: IntakeHandlers;
  log: Logger;
  onListenError?: () => Promise<void>;
  limits?: IntakeLimits;
  /** `GET /metrics` needs `Authorization: Bearer <metricsKey>`; without a key it is always refused here. */
  metricsKey?: string;
}): Promise<IntakeServer> {
  const limits = resolveLimits(opts.limits);
  const app: FastifyInstance = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: false,
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    requestTimeout: limits.requestTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: limits.checkIntervalMs },
    clientErrorHandler: answerClientError,
  });
  const connections = new ConnectionsPerAddress(app.server, limits.maxConnectionsPerAddress);
  app.addHook('onRequest', async (req, reply) => {
    if (!connections.isOverCap(req.raw.socket)) return;
    reply.header('connection', 'close');
    opts.handlers.refused?.('too_many_connections');
    sendError(reply, 'too_many_connections', `Over ${connections.limit} open connections from one address; reuse connections (keep-alive)`);
    return reply;
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json(;.*)?$/i, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      const err = Object.assign(new Error('The body is not valid JSON'), { statusCode: 400, code: 'invalid_json' });
      done(err, undefined);
    }
  });

  const refuse = (reply: FastifyReply, code: ErrorCode, message: string): FastifyReply => {
    opts.handlers.refused?.(code);
    return sendError(reply, code, message);
  };
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err.code === 'invalid_json') return refuse(reply, 'invalid_json', err.message);
    if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return refuse(reply, 'payload_too_large', `The body is over ${BODY_LIMIT} bytes`);
    if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return refuse(reply, 'unsupported_media_type', 'Send JSON: Content-Type: application/json');
    if (err.statusCode === 400) return refuse(reply, 'invalid_json', err.message);
    // A coded refusal thrown from deep inside (storage_unavailable, say) keeps its code and status.
    if (err instanceof PingdeskError) return sendError(reply, err.code, err.message);
    opts.log.error({ err: { message: err.message, code: err.code } }, 'intake error');
    return sendError(reply, 'internal', 'Internal error');
  });

  app.setNotFoundHandler((_req, reply) => sendError(reply, 'not_found', 'No such endpoint: see POST /v1/leads'));

  const answer = (reply: FastifyReply, a: IntakeAnswer): FastifyReply => {
    if (a.headers) for (const [k, v] of Object.entries(a.headers)) reply.header(k, v);
    return reply.code(a.status).send(a.body);
  };

  app.post('/v1/leads', async (req, reply) => {
    const key = req.headers[IDEMPOTENCY_KEY_HEADER];
    return answer(reply, await opts.handlers.submitLead(bearer(req.headers.authorization), req.body, Array.isArray(key) ? key.join(', ') : key));
  });
  const { submitPing, submitPost } = opts.handlers;
  if (submitPing) app.post('/v1/ping', async (req, reply) => answer(reply, await submitPing(bearer(req.headers.authorization), req.body)));
  if (submitPost) {
    app.post('/v1/post', async (req, reply) => {
      const key = req.headers[IDEMPOTENCY_KEY_HEADER];
      return answer(reply, await submitPost(bearer(req.headers.authorization), req.body, Array.isArray(key) ? key.join(', ') : key));
    });
  }
  app.post('/v1/feedback', async (req, reply) => answer(reply, await opts.handlers.submitFeedback(bearer(req.headers.authorization), req.body)));
  app.post('/v1/revocations', async (req, reply) => answer(reply, await opts.handlers.submitRevocation(bearer(req.headers.authorization), req.body)));
  app.get('/healthz', async (_req, reply) => {
    const h = opts.handlers.health();
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
  app.get('/metrics', async (req, reply) => {
    if (!opts.metricsKey) return sendError(reply, 'unauthorized', 'Metrics on the intake port need a key: start with --metrics-key (or PINGDESK_METRICS_KEY), or read them on the console port');
    if (!tokensMatch(bearer(req.headers.authorization), opts.metricsKey)) return sendError(reply, 'unauthorized', 'A metrics key is required: Authorization: Bearer <metrics key>');
    const m = await opts.handlers.metrics();
    return reply.header('content-type', m.contentType).send(m.body);
  });

  try {
    await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await opts.onListenError?.();
    const busy = (err as { code?: string }).code === 'EADDRINUSE';
    throw new PingdeskError('conflict', busy ? `The intake port ${opts.port} on ${opts.host} is in use: pass --intake-port` : `The intake listener could not start: ${(err as Error).message}`, { cause: err });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return { url: `http://${shownHost}:${port}`, port, close: () => app.close(), forceClose: () => app.server.closeAllConnections() };
}

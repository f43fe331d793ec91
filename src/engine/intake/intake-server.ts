import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { ErrorCode } from '../../shared/errors.js';
import { PingdeskError, statusFor } from '../../shared/errors.js';
import type { IntakeAnswer } from './lead-intake.js';

export interface IntakeHandlers {
  submitLead(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  submitFeedback(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  /** `POST /v1/revocations` (source or buyer key): suppress a consumer at once. */
  submitRevocation(apiKey: string | null, body: unknown): Promise<IntakeAnswer>;
  health(): { status: 'ok' | 'draining'; [k: string]: unknown };
  metrics(): Promise<{ contentType: string; body: string }>;
  /** Told of requests refused before a handler runs (bad media type, size, JSON), for metrics. */
  refused?(code: ErrorCode): void;
}

export interface IntakeServer {
  url: string;
  port: number;
  close(): Promise<void>;
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
 * (413), and every error body carries `error` and a human `message`.
 */
export async function startIntakeServer(opts: { host: string; port: number; handlers: IntakeHandlers; log: Logger; onListenError?: () => Promise<void> }): Promise<IntakeServer> {
  const app: FastifyInstance = Fastify({ bodyLimit: BODY_LIMIT, logger: false, keepAliveTimeout: 65_000, return503OnClosing: true });

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
    opts.log.error({ err: { message: err.message, code: err.code } }, 'intake error');
    return sendError(reply, 'internal', 'Internal error');
  });

  app.setNotFoundHandler((_req, reply) => sendError(reply, 'not_found', 'No such endpoint: see POST /v1/leads'));

  const answer = (reply: FastifyReply, a: IntakeAnswer): FastifyReply => {
    if (a.headers) for (const [k, v] of Object.entries(a.headers)) reply.header(k, v);
    return reply.code(a.status).send(a.body);
  };

  app.post('/v1/leads', async (req, reply) => answer(reply, await opts.handlers.submitLead(bearer(req.headers.authorization), req.body)));
  app.post('/v1/feedback', async (req, reply) => answer(reply, await opts.handlers.submitFeedback(bearer(req.headers.authorization), req.body)));
  app.post('/v1/revocations', async (req, reply) => answer(reply, await opts.handlers.submitRevocation(bearer(req.headers.authorization), req.body)));
  app.get('/healthz', async (_req, reply) => {
    const h = opts.handlers.health();
    return reply.code(h.status === 'ok' ? 200 : 503).send(h);
  });
  app.get('/metrics', async (_req, reply) => {
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
  return { url: `http://${shownHost}:${port}`, port, close: () => app.close() };
}

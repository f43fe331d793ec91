import type { FastifyInstance } from 'fastify';
import { SECURITY_HEADERS } from '../../shared/csp.js';
import { TOKEN_HEADER } from '../../shared/transport.js';
import type { ConsoleHost } from './console-host.js';
import type { EventBatcher } from './event-batcher.js';
import { tokensMatch } from './http-guards.js';
import { tokenGuard, wireError } from './http-replies.js';
import { openEventStream, type EventStream } from './sse-stream.js';

const ACTOR = 'console:browser';

interface ApiRoutesOptions {
  host: ConsoleHost;
  token: string;
  batcher: EventBatcher;
  /** The open event streams, closed with the server. */
  streams: Set<EventStream>;
  heartbeatMs: number;
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

/** The contract over HTTP: `POST /api/call/:method`, the event stream `GET /api/events`, and `GET /metrics`. */
export function registerApiRoutes(app: FastifyInstance, o: ApiRoutesOptions): void {
  app.post('/api/call/:method', { onRequest: tokenGuard(o.token, 'header') }, async (req) => {
    const { method } = req.params as { method: string };
    return o.host.call(method, req.body, { actor: ACTOR });
  });

  app.get('/api/events', { onRequest: tokenGuard(o.token, 'query') }, (_req, reply) => {
    reply.hijack();
    const stream = openEventStream(reply.raw, o.batcher, {
      heartbeatMs: o.heartbeatMs,
      headers: SECURITY_HEADERS,
      onClose: () => o.streams.delete(stream),
    });
    o.streams.add(stream);
  });

  // For scrapers: the console token as a bearer token, the token header, or `?token=`.
  app.get('/metrics', async (req, reply) => {
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
    const given = auth ?? req.headers[TOKEN_HEADER] ?? (req.query as Record<string, unknown>).token;
    if (!tokensMatch(given, o.token)) return reply.code(401).send(wireError('unauthorized', 'The console token is required: Authorization: Bearer <console token>'));
    if (!o.metrics) return reply.code(404).send(wireError('not_found', 'This console serves no metrics'));
    const m = await o.metrics();
    return reply.header('content-type', m.contentType).header('Cache-Control', 'no-store').send(m.body);
  });
}

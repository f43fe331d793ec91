import type { FastifyInstance } from 'fastify';
import { SECURITY_HEADERS } from '../../shared/csp.js';
import type { ErrorCode } from '../../shared/errors.js';
import { isAllowedHost } from './http-guards.js';
import { wireError } from './http-replies.js';

/**
 * What every request on the console port goes through: the Host check (against DNS rebinding), the
 * security headers, and errors and unknown paths answered as Replies (the client relies on it).
 */
export function registerConsoleHooks(app: FastifyInstance, listeningPort: () => number, log?: { error(msg: string): void }): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isAllowedHost(req.headers.host, listeningPort())) {
      reply.code(403).send(wireError('forbidden', 'The console answers only on 127.0.0.1, localhost or [::1]'));
      return reply;
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal' : 'invalid_json';
    const message = String(err.message ?? 'Request failed');
    if (status === 500) log?.error(`console request failed: ${message}`);
    reply.code(status).send(wireError(code, status === 500 ? 'Internal error' : message));
  });

  // Every answer on this port is a Reply, even for a path no route knows.
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(wireError('not_found', `No console endpoint ${req.method} ${req.url.split('?')[0]}`));
  });
}

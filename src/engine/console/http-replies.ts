import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../shared/errors.js';
import { TOKEN_HEADER } from '../../shared/transport.js';
import { tokensMatch } from './http-guards.js';

/** A failed Reply, the shape of every refusal on the console port. */
export function wireError(code: ErrorCode, message: string) {
  return { ok: false as const, error: { code, message } };
}

/** A route guard: the console token in the token header (API calls) or in `?token=` (links, EventSource). */
export function tokenGuard(token: string, where: 'header' | 'query') {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const given = where === 'header' ? req.headers[TOKEN_HEADER] : (req.query as Record<string, unknown>).token;
    if (!tokensMatch(given, token)) {
      reply.code(401).send(wireError('unauthorized', 'Missing or wrong console token: open the URL printed when the console started'));
      return reply;
    }
  };
}

import { createReadStream, promises as fs } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Fastify from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SECURITY_HEADERS } from '../../shared/csp.js';
import type { ErrorCode } from '../../shared/errors.js';
import { PingdeskError } from '../../shared/errors.js';
import { TOKEN_HEADER } from '../../shared/transport.js';
import type { ConsoleHost } from './console-host.js';
import type { EventBatcherOptions } from './event-batcher.js';
import { createEventBatcher } from './event-batcher.js';
import { createConsoleToken, isAllowedHost, tokensMatch } from './http-guards.js';
import { renderNoticePage } from './notice-page.js';
import type { EventStream } from './sse-stream.js';
import { openEventStream } from './sse-stream.js';
import { contentTypeFor, isPlainFileName, resolveStaticFile } from './static-files.js';

export const DEFAULT_CONSOLE_PORT = 7300;
/** Large enough for `suppression.importCsv` (50 M characters of CSV); the token is checked before the body is read. */
const API_BODY_LIMIT = 64 * 1024 * 1024;
const ACTOR = 'console:browser';

export interface ConsoleServerLog {
  warn(msg: string): void;
  error(msg: string): void;
}

export interface ConsoleServerOptions {
  host: ConsoleHost;
  /** 0 picks a free port; default 7300. */
  port?: number;
  /** The built renderer (out/renderer); without it `/` explains how to build. */
  staticDir?: string;
  /** Where the engine writes CSV exports, served at `/exports/<file>`. */
  exportsDir?: string;
  /** Fixed token (tests, supervised runs); a random one per start otherwise. */
  token?: string;
  log?: ConsoleServerLog;
  heartbeatMs?: number;
  batching?: EventBatcherOptions;
  /** Prometheus text served at `GET /metrics` to holders of the console token. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

export interface ConsoleServer {
  /** The URL to open: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  port: number;
  token: string;
  /** For health views and tests: open SSE clients and the batcher's counters. */
  stats(): { eventStreams: number; batches: number; dropped: number };
  close(): Promise<void>;
}

function wireError(code: ErrorCode, message: string) {
  return { ok: false as const, error: { code, message } };
}

/**
 * Browser mode: the console contract over HTTP + server-sent events, on 127.0.0.1 only.
 * `POST /api/call/:method` answers every contract outcome, failures included, with 200 and the
 * host's Reply; only transport failures (token, Host, body) get another status. The token guards
 * /api and /exports and `/`; hashed static assets are public, they carry no data.
 */
export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = opts.token ?? createConsoleToken();
  const requestedPort = opts.port ?? DEFAULT_CONSOLE_PORT;
  const batcher = createEventBatcher(opts.host, {
    ...opts.batching,
    onListenerError: (err) => opts.log?.warn(`console event stream failed: ${String(err)}`),
  });
  const streams = new Set<EventStream>();
  let port = 0;

  const app = Fastify({ logger: false, bodyLimit: API_BODY_LIMIT, forceCloseConnections: true });

  app.addHook('onRequest', async (req, reply) => {
    if (!isAllowedHost(req.headers.host, port)) {
      reply.code(403).send(wireError('forbidden', 'The console answers only on 127.0.0.1, localhost or [::1]'));
      return reply;
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });

  const requireToken = (where: 'header' | 'query') => async (req: FastifyRequest, reply: FastifyReply) => {
    const given = where === 'header' ? req.headers[TOKEN_HEADER] : (req.query as Record<string, unknown>).token;
    if (!tokensMatch(given, token)) {
      reply.code(401).send(wireError('unauthorized', 'Missing or wrong console token: open the URL printed when the console started'));
      return reply;
    }
  };

  app.setErrorHandler((err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const code: ErrorCode = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 500 ? 'internal' : 'invalid_json';
    const message = String(err.message ?? 'Request failed');
    if (status === 500) opts.log?.error(`console request failed: ${message}`);
    reply.code(status).send(wireError(code, status === 500 ? 'Internal error' : message));
  });

  // Every answer on this port is a Reply, even for a path no route knows (the client relies on it).
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(wireError('not_found', `No console endpoint ${req.method} ${req.url.split('?')[0]}`));
  });

  app.post('/api/call/:method', { onRequest: requireToken('header') }, async (req) => {
    const { method } = req.params as { method: string };
    return opts.host.call(method, req.body, { actor: ACTOR });
  });

  app.get('/api/events', { onRequest: requireToken('query') }, (_req, reply) => {
    reply.hijack();
    const stream = openEventStream(reply.raw, batcher, {
      heartbeatMs: opts.heartbeatMs ?? 15_000,
      headers: SECURITY_HEADERS,
      onClose: () => streams.delete(stream),
    });
    streams.add(stream);
  });

  // For scrapers: the console token as a bearer token, the token header, or `?token=`.
  app.get('/metrics', async (req, reply) => {
    const auth = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1];
    const given = auth ?? req.headers[TOKEN_HEADER] ?? (req.query as Record<string, unknown>).token;
    if (!tokensMatch(given, token)) return reply.code(401).send(wireError('unauthorized', 'The console token is required: Authorization: Bearer <console token>'));
    if (!opts.metrics) return reply.code(404).send(wireError('not_found', 'This console serves no metrics'));
    const m = await opts.metrics();
    return reply.header('content-type', m.contentType).header('Cache-Control', 'no-store').send(m.body);
  });

  app.get('/exports/:file', { onRequest: requireToken('query') }, async (req, reply) => {
    const { file } = req.params as { file: string };
    if (!isPlainFileName(file)) return reply.code(400).send(wireError('forbidden', 'Not an export file name'));
    const found = opts.exportsDir ? await resolveStaticFile(opts.exportsDir, `/${encodeURIComponent(file)}`) : { kind: 'missing' as const };
    if (found.kind !== 'file') return reply.code(404).send(wireError('not_found', `No export named ${file}`));
    return reply
      .type(contentTypeFor(found.path))
      .header('Content-Length', found.size)
      .header('Content-Disposition', `attachment; filename="${file}"`)
      .header('Cache-Control', 'no-store')
      .send(createReadStream(found.path));
  });

  const serveIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store');
    if (!tokensMatch((req.query as Record<string, unknown>).token, token)) {
      return reply.code(401).type('text/html; charset=utf-8').send(renderNoticePage('Open Pingdesk with its link', 'This console needs the full address printed in the terminal when it started (it ends with <code>?token=…</code>). Copy that address into the browser.'));
    }
    const index = opts.staticDir ? path.join(opts.staticDir, 'index.html') : null;
    const html = index ? await fs.readFile(index).catch(() => null) : null;
    if (!html) return reply.code(503).type('text/html; charset=utf-8').send(renderNoticePage('The console is not built', 'Run <code>npm run build</code>, then start the console again.'));
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', serveIndex);
  app.get('/index.html', serveIndex);

  app.get('/*', async (req, reply) => {
    const urlPath = req.url.split('?')[0];
    if (urlPath.startsWith('/api/')) return reply.code(404).send(wireError('not_found', `No route ${urlPath}`));
    const found = opts.staticDir ? await resolveStaticFile(opts.staticDir, urlPath) : { kind: 'missing' as const };
    if (found.kind === 'refused') return reply.code(400).send(wireError('forbidden', 'Path refused'));
    // Browsers ask for a favicon on their own; an empty answer keeps their console free of 404s.
    if (found.kind === 'missing' && urlPath === '/favicon.ico') return reply.code(204).send();
    if (found.kind === 'missing') return reply.code(404).send(wireError('not_found', 'Not found'));
    return reply.type(contentTypeFor(found.path)).header('Content-Length', found.size).header('Cache-Control', 'no-cache').send(createReadStream(found.path));
  });

  try {
    await app.listen({ host: '127.0.0.1', port: requestedPort });
  } catch (err) {
    batcher.close();
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new PingdeskError(inUse ? 'conflict' : 'internal', inUse ? `Console port ${requestedPort} is already in use` : `The console server could not start: ${String(err)}`, { cause: err });
  }
  port = (app.server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    stats: () => {
      const { batches, dropped } = batcher.stats();
      return { eventStreams: streams.size, batches, dropped };
    },
    close() {
      closing ??= (async () => {
        for (const stream of [...streams]) stream.close();
        batcher.close();
        await app.close();
      })();
      return closing;
    },
  };
}

import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { PingdeskError } from '../../shared/errors.js';
import type { ConsoleHost } from './console-host.js';
import type { EventBatcherOptions } from './event-batcher.js';
import { createEventBatcher } from './event-batcher.js';
import { registerApiRoutes } from './http-api-routes.js';
import { registerFileRoutes } from './http-file-routes.js';
import { createConsoleToken } from './http-guards.js';
import { registerConsoleHooks } from './http-hooks.js';
import type { EventStream } from './sse-stream.js';

export const DEFAULT_CONSOLE_PORT = 7300;
/** Large enough for `suppression.importCsv` (50 M characters of CSV); the token is checked before the body is read. */
const API_BODY_LIMIT = 64 * 1024 * 1024;

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
  registerConsoleHooks(app, () => port, opts.log);
  registerApiRoutes(app, { host: opts.host, token, batcher, streams, heartbeatMs: opts.heartbeatMs ?? 15_000, metrics: opts.metrics });
  registerFileRoutes(app, { token, staticDir: opts.staticDir, exportsDir: opts.exportsDir });

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

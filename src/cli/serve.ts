import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startConsoleServer } from '../engine/console/http-transport.js';
import { startEngine, type Engine } from '../engine/engine.js';
import { DEFAULT_DRAIN_TIMEOUT_MS } from '../engine/drain.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Past the drain time, a stop that still has not finished (a stuck close) exits anyway. */
const CLOSE_GRACE_MS = 5_000;

/** Where data lives unless told: the demo keeps to its own folder so it never meets a broker's setup. */
export function defaultDataDir(demo: boolean, env: NodeJS.ProcessEnv = process.env): string {
  return env.PINGDESK_DATA_DIR ?? (demo ? './data-demo' : './data');
}

export const SERVE_USAGE = `pingdesk serve --data-dir DIR [--workspace FILE] [--intake-host H] [--intake-port N] [--console-port M] [--demo] [--demo-rate N] [--read-only] [--durability normal|full] [--metrics-key KEY] [--signing-key FILE]
  pingdesk serve --open FILE.pdarchive [--console-port M]`;

/**
 * Browser mode: the engine, the intake listener and the console served on 127.0.0.1 with a
 * per-start token. Prints `Console: <url>` and `Intake: <url>` lines that scripts may parse.
 */
export async function runServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      workspace: { type: 'string' },
      'intake-host': { type: 'string', default: '127.0.0.1' },
      'intake-port': { type: 'string', default: '7301' },
      'console-port': { type: 'string', default: '7300' },
      demo: { type: 'boolean', default: false },
      'demo-rate': { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      durability: { type: 'string', default: 'normal' },
      'metrics-key': { type: 'string', default: process.env.PINGDESK_METRICS_KEY },
      'signing-key': { type: 'string' },
      open: { type: 'string' },
    },
    strict: true,
  });
  // `--open FILE.pdarchive`: the archive's console, read-only, with no intake and no lock.
  const archiveFile = values.open === undefined ? undefined : resolve(values.open);
  if (archiveFile && (values['data-dir'] !== undefined || values.demo || values.workspace !== undefined)) {
    throw new Error('--open serves an archive on its own: it takes no --data-dir, --workspace or --demo');
  }
  const dataDir = archiveFile ? dirname(archiveFile) : resolve(values['data-dir'] ?? defaultDataDir(values.demo));
  const durability = values.durability === 'full' ? 'full' : 'normal';
  const askedDrainMs = Number(process.env.PINGDESK_DRAIN_TIMEOUT_MS);
  const drainTimeoutMs = Number.isFinite(askedDrainMs) && askedDrainMs > 0 ? askedDrainMs : DEFAULT_DRAIN_TIMEOUT_MS;
  const engine = await startEngine({
    dataDir,
    workspaceFile: values.workspace,
    intakeHost: values['intake-host'],
    intakePort: Number(values['intake-port']),
    readOnly: values['read-only'],
    archiveFile,
    demo: values.demo ? { leadsPerSecond: values['demo-rate'] ? Number(values['demo-rate']) : undefined } : false,
    durability,
    signingKeyFile: values['signing-key'],
    mode: 'browser',
    metricsKey: values['metrics-key'] || undefined,
    drainTimeoutMs,
  });
  const staticDir = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) process.stdout.write('Note: the console is not built yet; run `npm run build` (npm start does it for you).\n');
  // No listener survives a failed start: without a console, the engine (and its intake) closes.
  const server = await startConsoleServer({ host: engine.consoleHost, port: Number(values['console-port']), staticDir, exportsDir: engine.exportsDir, log: engine.logger, metrics: engine.metrics }).catch(
    async (err: unknown) => {
      await engine.close();
      throw err;
    },
  );
  if (archiveFile) process.stdout.write(`Pingdesk (read-only archive) archive: ${archiveFile}\n`);
  else process.stdout.write(`Pingdesk ${values['read-only'] ? '(read-only) ' : ''}data: ${dataDir}\n`);
  process.stdout.write(`Console: ${server.url}\n`);
  if (engine.intakeUrl) process.stdout.write(`Intake: ${engine.intakeUrl}\n`);

  stopOnSignals(engine, server, drainTimeoutMs);
}

/**
 * SIGTERM/SIGINT: stop accepting, let auctions in flight finish within the drain time, cut the
 * connections still open, exit 0. A second signal exits at once (1): the operator insists, and the
 * store's WAL keeps every acknowledged lead as it does on a kill.
 */
function stopOnSignals(engine: Engine, server: { close(): Promise<void> }, drainTimeoutMs: number): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: draining auctions and closing (at most ${Math.round(drainTimeoutMs / 1000)} s)…\n`);
    setTimeout(() => {
      process.stderr.write('pingdesk: closing took too long; exiting\n');
      process.exit(1);
    }, drainTimeoutMs + CLOSE_GRACE_MS).unref();
    // The console stays up while the engine drains, so the operator can watch the last auctions end.
    (async () => {
      await engine.close();
      await server.close();
    })().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`pingdesk: error while closing: ${err.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startConsoleServer } from '../engine/console/http-transport.js';
import { startEngine } from '../engine/engine.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SERVE_USAGE = `pingdesk serve --data-dir DIR [--workspace FILE] [--intake-host H] [--intake-port N] [--console-port M] [--demo] [--demo-rate N] [--read-only] [--durability normal|full] [--signing-key FILE]`;

/**
 * Browser mode: the engine, the intake listener and the console served on 127.0.0.1 with a
 * per-start token. Prints `Console: <url>` and `Intake: <url>` lines that scripts may parse.
 */
export async function runServe(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string', default: process.env.PINGDESK_DATA_DIR ?? './data' },
      workspace: { type: 'string' },
      'intake-host': { type: 'string', default: '127.0.0.1' },
      'intake-port': { type: 'string', default: '7301' },
      'console-port': { type: 'string', default: '7300' },
      demo: { type: 'boolean', default: false },
      'demo-rate': { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      durability: { type: 'string', default: 'normal' },
      'signing-key': { type: 'string' },
    },
    strict: true,
  });
  const dataDir = resolve(values['data-dir']);
  const durability = values.durability === 'full' ? 'full' : 'normal';
  const engine = await startEngine({
    dataDir,
    workspaceFile: values.workspace,
    intakeHost: values['intake-host'],
    intakePort: Number(values['intake-port']),
    readOnly: values['read-only'],
    demo: values.demo ? { leadsPerSecond: values['demo-rate'] ? Number(values['demo-rate']) : undefined } : false,
    durability,
    signingKeyFile: values['signing-key'],
    mode: 'browser',
  });
  const staticDir = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) process.stdout.write('Note: the console is not built yet; run `npm run build` (npm start does it for you).\n');
  const server = await startConsoleServer({ host: engine.consoleHost, port: Number(values['console-port']), staticDir, exportsDir: engine.exportsDir, log: engine.logger });
  process.stdout.write(`Pingdesk ${values['read-only'] ? '(read-only) ' : ''}data: ${dataDir}\n`);
  process.stdout.write(`Console: ${server.url}\n`);
  if (engine.intakeUrl) process.stdout.write(`Intake: ${engine.intakeUrl}\n`);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: draining auctions and closing…\n`);
    await engine.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runServe } from './serve.js';

/**
 * `npm start`: the Electron window where Electron can run, browser mode otherwise, saying why in
 * one line. Arguments are passed to either (`--data-dir`, `--workspace`, `--intake-port`, `--demo`,
 * `--read-only`); `--browser` forces browser mode.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILT_FILES = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
/** An Electron that dies this fast did not get to open a window (missing libraries, no GPU, ...). */
const EARLY_EXIT_MS = 5_000;

export type StartPlan = { mode: 'electron'; electronPath: string } | { mode: 'browser'; reason: string };

export interface StartEnvironment {
  argv: readonly string[];
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  uid: number | null;
  /** `require('electron')` from plain Node: the binary's path, or a throw when it was never downloaded. */
  resolveElectron: () => string;
  exists: (file: string) => boolean;
}

/** Decides where the console opens. Pure, so every reason to fall back is tested. */
export function planStart(e: StartEnvironment): StartPlan {
  if (e.argv.includes('--browser')) return { mode: 'browser', reason: 'Browser mode requested' };
  let electronPath: string;
  try {
    electronPath = e.resolveElectron();
  } catch {
    return { mode: 'browser', reason: 'Electron binary not installed' };
  }
  if (typeof electronPath !== 'string' || !e.exists(electronPath)) return { mode: 'browser', reason: 'Electron binary not installed' };
  if (e.platform === 'linux' || e.platform === 'freebsd' || e.platform === 'openbsd') {
    if (!e.env.DISPLAY && !e.env.WAYLAND_DISPLAY) return { mode: 'browser', reason: 'No display (DISPLAY and WAYLAND_DISPLAY are unset)' };
    // Chromium refuses to run as root unless its sandbox is switched off, and the console keeps it on.
    if (e.uid === 0) return { mode: 'browser', reason: 'Running as root, where Electron cannot start with its sandbox' };
  }
  return { mode: 'electron', electronPath };
}

function currentEnvironment(argv: readonly string[]): StartEnvironment {
  const require = createRequire(import.meta.url);
  return {
    argv,
    platform: process.platform,
    env: process.env,
    uid: typeof process.getuid === 'function' ? process.getuid() : null,
    resolveElectron: () => require('electron') as string,
    exists: existsSync,
  };
}

/** Builds main, preload and renderer with electron-vite when any output is missing (a few seconds). */
async function ensureBuilt(): Promise<void> {
  if (BUILT_FILES.every((f) => existsSync(path.join(ROOT, f)))) return;
  process.stdout.write('Building the console (first start)…\n');
  const { build } = await import('electron-vite');
  await build({ root: ROOT, logLevel: 'warn' });
}

/** Runs the app in Electron; resolves with its exit code and whether it died before it could show anything. */
function runElectron(electronPath: string, args: readonly string[]): Promise<{ code: number; early: boolean }> {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const startedAt = Date.now();
  const child = spawn(electronPath, [ROOT, ...args], { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return new Promise((resolve) => {
    const done = (code: number) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve({ code, early: code !== 0 && Date.now() - startedAt < EARLY_EXIT_MS });
    };
    child.once('error', () => done(127));
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

export async function runStart(argv: string[]): Promise<void> {
  const args = argv.filter((a) => a !== '--browser');
  const plan = planStart(currentEnvironment(argv));
  try {
    await ensureBuilt();
  } catch (err) {
    if (plan.mode === 'electron') throw err;
    process.stderr.write(`The console could not be built (${(err as Error).message}); the API still starts.\n`);
  }
  if (plan.mode === 'electron') {
    const result = await runElectron(plan.electronPath, args);
    if (!result.early) {
      process.exitCode = result.code;
      return;
    }
    process.stdout.write(`Electron could not start (exit code ${result.code}) — starting browser mode\n`);
  } else {
    process.stdout.write(`${plan.reason} — starting browser mode\n`);
  }
  await runServe(args);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runStart(process.argv.slice(2)).catch((err: Error & { code?: string }) => {
    process.stderr.write(`pingdesk: ${err.message}${err.code ? ` (${err.code})` : ''}\n`);
    process.exitCode = 1;
  });
}

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'pingdesk.js');
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Node with nothing preloaded (no --import tsx from the environment). */
const plainEnv = (): NodeJS.ProcessEnv => {
  const { NODE_OPTIONS: _options, ...env } = process.env;
  return { ...env, PINGDESK_LOG_LEVEL: 'warn' };
};

describe('the compiled command line', () => {
  it('is built to out/cli and bin/pingdesk.js runs it with plain Node: help, then serve answers /healthz and drains on SIGTERM', async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.cli.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(build.status, build.stderr).toBe(0);

    const help = spawnSync(process.execPath, [BIN, '--help'], { cwd: ROOT, encoding: 'utf8', env: plainEnv(), timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('pingdesk serve --data-dir DIR');

    const dataDir = mkdtempSync(path.join(tmpdir(), 'pingdesk-cli-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, [BIN, 'serve', '--data-dir', path.join(dataDir, 'data'), '--console-port', '0', '--intake-port', '0'], { cwd: ROOT, env: plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    const intakeUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve printed no intake URL: ${out} ${err}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /Intake: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const health = await fetch(`${intakeUrl}/healthz`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});

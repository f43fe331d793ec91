import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The console server serves out/renderer: build it once per run (PINGDESK_E2E_SKIP_BUILD=1 reuses a build). */
export default function globalSetup(): void {
  if (process.env.PINGDESK_E2E_SKIP_BUILD === '1') return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
}

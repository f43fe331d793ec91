#!/usr/bin/env node
// Runs the compiled command line (`npm run build` writes out/cli/), like the desktop build runs compiled code.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'cli', 'index.js');
if (!existsSync(cli)) {
  process.stderr.write('pingdesk: the command line is not built; run `npm run build` first\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);

#!/usr/bin/env node
import { ARCHIVE_USAGE, runArchive } from './archive.js';
import { AUDIT_USAGE, runAudit } from './audit.js';
import { runErase } from './erase.js';
import { EVIDENCE_USAGE, runEvidence } from './evidence.js';
import { runExport } from './export.js';
import { runServe, SERVE_USAGE } from './serve.js';
import { runSuppress } from './suppress.js';
import { runWhatIfCommand, WHATIF_USAGE } from './whatif.js';

const USAGE = `Usage:
  ${SERVE_USAGE}
  ${AUDIT_USAGE}
  pingdesk export leads|audit|auctions --data-dir DIR [--from ISO] [--to ISO] --out FILE.csv
  ${ARCHIVE_USAGE}
  pingdesk suppress import --data-dir DIR [--format dnc|csv] [--batch N] [--quiet] FILE
  pingdesk erase --data-dir DIR (--lead ID | --phone P | --email E) [--suppress]
  ${EVIDENCE_USAGE}
  ${WHATIF_USAGE}
serve, audit, export and evidence take --open FILE.pdarchive in place of --data-dir DIR to read an archive.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await runServe(rest);
      return -1;
    case 'audit':
      return runAudit(rest);
    case 'export':
      return runExport(rest);
    case 'suppress':
      return runSuppress(rest);
    case 'erase':
      return runErase(rest);
    case 'evidence':
      return runEvidence(rest);
    case 'archive':
      return runArchive(rest);
    case 'whatif':
      return runWhatIfCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command ? 0 : 2;
    default:
      process.stderr.write(`Unknown command "${command}".\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: Error & { code?: string; details?: Array<{ field: string; message: string }> }) => {
    process.stderr.write(`pingdesk: ${err.message}${err.code ? ` (${err.code})` : ''}\n`);
    for (const d of err.details ?? []) process.stderr.write(`  ${d.field}: ${d.message}\n`);
    process.exitCode = 1;
  },
);

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { machineInfo } from './lib/machine.js';

/**
 * DNC import at registry scale: writes a DNC-style file of N distinct ten-digit numbers (one a line,
 * a tenth of them as `NPA,NXX-XXXX`), runs the real `pingdesk suppress import` on a fresh data folder
 * under `/usr/bin/time -v` and reports wall time, peak RSS and the rows in the table.
 *
 *   npx tsx bench/dnc-import.ts [--lines 10000000] [--keep] [--json bench/results/dnc-import.json]
 */

const ROOT = path.resolve(import.meta.dirname, '..');

function writeDncFile(file: string, lines: number): void {
  const fd = fs.openSync(file, 'w');
  const parts: string[] = [];
  // Distinct numbers: walk exchanges 200-999 and subscriber numbers 0000-9999 within a few area codes.
  const areaCodes = [201, 212, 305, 312, 415, 512, 617, 702, 713, 818, 907, 972];
  let written = 0;
  outer: for (const npa of areaCodes) {
    for (let nxx = 200; nxx <= 999; nxx++) {
      for (let line = 0; line <= 9999; line++) {
        const sub = String(line).padStart(4, '0');
        parts.push(written % 10 === 9 ? `${npa},${nxx}-${sub}` : `${npa}${nxx}${sub}`);
        if (parts.length === 100_000) {
          fs.writeSync(fd, `${parts.join('\n')}\n`);
          parts.length = 0;
        }
        if (++written === lines) break outer;
      }
    }
  }
  if (parts.length) fs.writeSync(fd, `${parts.join('\n')}\n`);
  fs.closeSync(fd);
  if (written < lines) throw new Error(`only ${written} distinct numbers generated`);
}

function main(): void {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '10000000' }, keep: { type: 'boolean', default: false }, json: { type: 'string' } } });
  const lines = Number(values.lines);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-dnc-bench-'));
  const file = path.join(work, 'dnc.txt');
  const dataDir = path.join(work, 'data');
  try {
    const genStart = Date.now();
    writeDncFile(file, lines);
    const fileMiB = fs.statSync(file).size / 2 ** 20;
    process.stdout.write(`generated ${lines.toLocaleString('en-US')} lines (${fileMiB.toFixed(1)} MiB) in ${((Date.now() - genStart) / 1000).toFixed(1)} s\n`);

    const start = Date.now();
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'suppress', 'import', '--data-dir', dataDir, file], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    const wallS = (Date.now() - start) / 1000;
    if (r.status !== 0) throw new Error(`import failed (${r.status}): ${r.stderr.slice(-2000)}`);
    const peakKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
    const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(r.stderr)?.[1] ?? '?';
    const cpuSeconds = ['User', 'System'].reduce((n, k) => n + Number(new RegExp(`${k} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? 0), 0);
    const db = new Database(path.join(dataDir, 'pingdesk.db'), { readonly: true });
    const rows = db.prepare('SELECT COUNT(*) FROM suppression_numbers').pluck().get() as number;
    db.close();
    const dbMiB = fs.readdirSync(dataDir).filter((f) => f.startsWith('pingdesk.db')).reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0) / 2 ** 20;

    // A second open of the folder: what an engine pays at start to load the suppression filter.
    const openStart = Date.now();
    const o = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', '-e', `import('${path.join(ROOT, 'src/engine/store/index.ts')}').then(({ Store }) => { const s = Store.open({ dataDir: ${JSON.stringify(dataDir)} }); s.close(); })`], { cwd: ROOT, encoding: 'utf8' });
    const openS = (Date.now() - openStart) / 1000;
    const openPeakKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(o.stderr)?.[1] ?? NaN);

    const result = {
      machine: machineInfo(),
      lines,
      fileMiB: Math.round(fileMiB * 10) / 10,
      rows,
      wallSeconds: Math.round(wallS * 10) / 10,
      timeElapsed: elapsed,
      cpuSeconds: Math.round(cpuSeconds * 10) / 10,
      linesPerSecond: Math.round(lines / wallS),
      peakRssMiB: Math.round((peakKiB / 1024) * 10) / 10,
      databaseMiB: Math.round(dbMiB),
      storeOpenSeconds: Math.round(openS * 10) / 10,
      storeOpenPeakRssMiB: Math.round((openPeakKiB / 1024) * 10) / 10,
      progressLines: r.stderr.split('\n').filter((l) => l.includes('lines read')).length,
      stdout: r.stdout.trim(),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (values.keep) process.stdout.write(`kept ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main();

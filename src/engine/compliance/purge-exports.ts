import fs from 'node:fs';
import path from 'node:path';

/**
 * CSV exports are copies of the store taken at some moment; one taken before an erasure still holds
 * the consumer. Exports are reproducible from the store, so rather than edit them, erasure deletes
 * every file in `exports/` that mentions an erased lead's id or any of its contact values (phones are
 * matched on their last ten digits, whatever the punctuation). A deleted file is overwritten with
 * zeros first, so its blocks do not keep the text on a file system that reuses them in place.
 * Returns the number of files removed.
 */
export function purgeExports(exportsDir: string, needles: readonly string[]): number {
  let names: string[];
  try {
    names = fs.readdirSync(exportsDir);
  } catch {
    return 0;
  }
  const texts = needles.filter((n) => n.trim().length >= 3).map((n) => n.trim().toLowerCase());
  const digitRuns = needles.map(phoneDigits).filter((d): d is string => d !== null);
  let removed = 0;
  for (const name of names) {
    const file = path.join(exportsDir, name);
    if (!fs.statSync(file).isFile()) continue;
    if (fileMentions(file, texts, digitRuns)) {
      shred(file);
      removed++;
    }
  }
  return removed;
}

const CHUNK = 1 << 20;
/** Enough to carry any needle (and a punctuated phone) across a chunk boundary. */
const OVERLAP = 512;

/** Reads the file in chunks, so an export of a million rows is scanned in constant memory. */
function fileMentions(file: string, texts: readonly string[], digitRuns: readonly string[]): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry = '';
    let position = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) return false;
      position += n;
      const window = carry + buf.toString('utf8', 0, n);
      const lower = window.toLowerCase();
      if (texts.some((t) => lower.includes(t))) return true;
      if (digitRuns.length) {
        const digits = window.replace(/\D/g, '');
        if (digitRuns.some((d) => digits.includes(d))) return true;
      }
      carry = window.slice(-OVERLAP);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function phoneDigits(value: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(value.trim())) return null;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 10 ? digits.slice(-10) : null;
}

function shred(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const zeros = Buffer.alloc(CHUNK);
    const size = fs.fstatSync(fd).size;
    for (let at = 0; at < size; at += CHUNK) fs.writeSync(fd, zeros, 0, Math.min(CHUNK, size - at), at);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
}

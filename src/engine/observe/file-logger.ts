import fs from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export const LOG_FILE = 'pingdesk.log';

export interface LogFileOptions {
  /** Lines held while a write is in progress; past this they are dropped and counted (default 4 MiB). */
  maxBufferBytes?: number;
  /** How often a failing file is tried again (default 1000 ms). */
  retryMs?: number;
  now?: () => number;
}

export interface LogFileStats {
  written: number;
  dropped: number;
  /** The error of the failing file ("ENOSPC: no space left on device"), null while it writes. */
  failing: string | null;
}

/**
 * The engine's log file: a pino destination that never blocks the event loop and never throws.
 * Lines are appended with asynchronous writes, one at a time. When the disk refuses a write (full,
 * I/O error, read-only) the file is failing: lines are dropped and counted instead of retried in a
 * loop, and every `retryMs` one line saying how many were dropped is tried; once it is written the file
 * writes again. A hung log must never hold the exchange, and a full disk must never crash it.
 */
export class LogFile {
  private fd: number | null = null;
  private buffer: string[] = [];
  private bufferedBytes = 0;
  private writing = false;
  private failing: { reason: string; since: number } | null = null;
  private droppedSinceFailure = 0;
  private cutLine = false;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly flushWaiters: Array<() => void> = [];
  private readonly maxBufferBytes: number;
  private readonly retryMs: number;
  private readonly now: () => number;
  private readonly counts = { written: 0, dropped: 0 };

  constructor(private readonly file: string, opts: LogFileOptions = {}) {
    this.maxBufferBytes = opts.maxBufferBytes ?? 4 * 1024 * 1024;
    this.retryMs = opts.retryMs ?? 1000;
    this.now = opts.now ?? Date.now;
    try {
      this.fd = fs.openSync(file, 'a', 0o600);
    } catch (err) {
      this.fail(err, 0);
    }
  }

  /** pino's destination interface: one serialised line per call. */
  write(line: string): boolean {
    if (this.closed) return true;
    if (this.failing || this.bufferedBytes + line.length > this.maxBufferBytes) {
      this.drop(1);
      return true;
    }
    this.buffer.push(line);
    this.bufferedBytes += line.length;
    if (!this.writing) this.drain();
    return true;
  }

  /** Calls back once what was written so far reached the file (or was dropped). Never blocks. */
  flush(cb?: (err?: Error) => void): void {
    if (!cb) return;
    if (!this.writing && this.buffer.length === 0) cb();
    else this.flushWaiters.push(() => cb());
  }

  /** One synchronous attempt (for a last line before exit); a failure drops the lines, never loops. */
  flushSync(): void {
    if (this.writing || this.failing || this.fd === null || this.buffer.length === 0) return;
    const lines = this.takeBuffer();
    try {
      fs.writeSync(this.fd, lines.text);
      this.counts.written += lines.count;
    } catch (err) {
      this.fail(err, lines.count);
    }
  }

  stats(): LogFileStats {
    return { ...this.counts, failing: this.failing?.reason ?? null };
  }

  /** Writes what is buffered (one attempt) and closes the file; a write in progress finishes first. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (!this.writing) this.closeFile();
  }

  private closeFile(): void {
    this.tryRecoverSync();
    this.flushSync();
    if (this.fd !== null) fs.close(this.fd, () => undefined);
    this.fd = null;
    this.settleFlushWaiters();
  }

  private takeBuffer(): { text: string; count: number } {
    const text = this.buffer.join('');
    const count = this.buffer.length;
    this.buffer = [];
    this.bufferedBytes = 0;
    return { text, count };
  }

  private drain(): void {
    if (this.fd === null || this.buffer.length === 0) {
      this.settleFlushWaiters();
      return;
    }
    this.writing = true;
    const lines = this.takeBuffer();
    this.writeAll(this.fd, Buffer.from(lines.text), (err) => {
      this.writing = false;
      if (err) this.fail(err, lines.count);
      else this.counts.written += lines.count;
      if (this.closed) this.closeFile();
      else if (!this.failing) this.drain();
      else this.settleFlushWaiters();
    });
  }

  /** fs.write may write part of a buffer; the rest follows before the next chunk. */
  private writeAll(fd: number, buf: Buffer, done: (err: NodeJS.ErrnoException | null) => void, partial = false): void {
    fs.write(fd, buf, 0, buf.length, null, (err, n) => {
      if (err) {
        // A disk that filled mid-chunk leaves a cut line: the next line must start on its own.
        if (partial) this.cutLine = true;
        done(err);
      } else if (n < buf.length) this.writeAll(fd, buf.subarray(n), done, true);
      else done(null);
    });
  }

  private drop(lines: number): void {
    this.counts.dropped += lines;
    this.droppedSinceFailure += lines;
  }

  private fail(err: unknown, lostLines: number): void {
    this.drop(lostLines + this.buffer.length);
    this.buffer = [];
    this.bufferedBytes = 0;
    const code = (err as { code?: string }).code ?? 'ERROR';
    const message = (err as Error).message ?? String(err);
    this.failing ??= { reason: message.startsWith(code) ? message : `${code}: ${message}`, since: this.now() };
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.tryRecover();
    }, this.retryMs);
    this.retry.unref();
  }

  /** The line that says what was lost while the file failed. */
  private droppedNote(): string {
    const { reason, since } = this.failing ?? { reason: null, since: null };
    return `${this.cutLine ? '\n' : ''}${JSON.stringify({ level: 40, time: this.now(), msg: 'log lines dropped while the log file could not be written', dropped: this.droppedSinceFailure, reason, since })}\n`;
  }

  private recovered(): void {
    this.cutLine = false;
    this.failing = null;
    this.droppedSinceFailure = 0;
    this.counts.written += 1;
  }

  /** Writes the note of what was lost; its success is the proof that the file writes again. */
  private tryRecover(): void {
    if (!this.failing || this.closed) return;
    try {
      this.fd ??= fs.openSync(this.file, 'a', 0o600);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.writing = true;
    this.writeAll(this.fd, Buffer.from(this.droppedNote()), (err) => {
      this.writing = false;
      if (err) {
        if (this.closed) this.closeFile();
        else this.scheduleRetry();
        return;
      }
      this.recovered();
      if (this.closed) this.closeFile();
      else this.drain();
    });
  }

  /** At close, one synchronous try to record what was lost. */
  private tryRecoverSync(): void {
    if (!this.failing || this.fd === null) return;
    try {
      fs.writeSync(this.fd, this.droppedNote());
      this.recovered();
    } catch {
      // Still failing: the count is lost with the file, the exchange is not.
    }
  }

  private settleFlushWaiters(): void {
    for (const w of this.flushWaiters.splice(0)) w();
  }
}

/**
 * The engine's logger: JSON lines into `<data>/logs/pingdesk.log` through a LogFile; a read-only
 * review session logs warnings to stderr only.
 */
export function createFileLogger(dataDir: string, readOnly: boolean): Logger {
  if (readOnly) return pino({ level: 'warn' }, pino.destination(2));
  const dir = join(dataDir, 'logs');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return pino({ level: process.env.PINGDESK_LOG_LEVEL ?? 'info', base: undefined }, new LogFile(join(dir, LOG_FILE)));
}

/** Closes the log file behind a logger made by createFileLogger (after its last line); others are left alone. */
export function closeFileLogger(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (stream instanceof LogFile) stream.close();
}

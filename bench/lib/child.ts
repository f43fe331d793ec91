import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * Each part of the benchmark (buyers, load generator, engine, store jobs) runs in its own Node
 * process so that no part steals the event loop of another. Parent and child talk over the fork IPC
 * channel with a tiny request/answer protocol: `{ id, method, args }` → `{ id, ok, value | error }`.
 */

export const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.dirname(BENCH_DIR);

interface Request {
  id: number;
  method: string;
  args: unknown;
}

interface Answer {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

interface Ready {
  ready: true;
  value: unknown;
}

export interface BenchChild<R = unknown> {
  readonly name: string;
  readonly pid: number;
  /** What the child announced once it was ready (ports, URLs). */
  readonly ready: Promise<R>;
  call<T>(method: string, args?: unknown): Promise<T>;
  /** Asks the child to finish (`shutdown`), waits for its exit, and kills it only if it does not go. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartChildOptions {
  /** Extra Node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Handed to the child as `BENCH_ARGS` (read it with `childArgs()`). */
  args?: unknown;
  env?: NodeJS.ProcessEnv;
}

export function startChild<R = unknown>(name: string, script: string, opts: StartChildOptions = {}): BenchChild<R> {
  const proc: ChildProcess = fork(path.join(BENCH_DIR, 'procs', script), [], {
    cwd: REPO_DIR,
    execArgv: ['--import', 'tsx', ...(opts.nodeFlags ?? [])],
    env: { ...process.env, ...opts.env, BENCH_ARGS: JSON.stringify(opts.args ?? {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`${name} exited (code ${code}) before answering`));
    pending.clear();
    resolve(code);
  }));

  const ready = new Promise<R>((resolve, reject) => {
    const onMessage = (msg: Answer | Ready) => {
      if ('ready' in msg) {
        resolve(msg.value as R);
        return;
      }
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(`${name}: ${msg.error}`));
    };
    proc.on('message', onMessage);
    void exit.then((code) => reject(new Error(`${name} exited (code ${code}) before it was ready`)));
  });
  ready.catch(() => undefined);

  return {
    name,
    pid: proc.pid ?? -1,
    ready,
    call<T>(method: string, args?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`${name} is not running`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, method, args } satisfies Request);
      });
    },
    async stop(timeoutMs = 15_000) {
      if (exited) return;
      proc.send({ id: 0, method: 'shutdown', args: null } satisfies Request);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
      const outcome = await Promise.race([exit, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        proc.kill('SIGKILL');
        await exit;
      }
    },
  };
}

export type Handlers = Record<string, (args: never) => unknown>;

/**
 * The child side: answers the parent's calls with `handlers`, announces `readyValue`, and on
 * `shutdown` runs `onShutdown` and exits (so `--cpu-prof` gets to write its profile).
 */
export function serveParent(handlers: Handlers, readyValue: unknown, onShutdown?: () => Promise<void> | void): void {
  if (!process.send) throw new Error('bench children are started with an IPC channel (bench/run.ts)');
  const send = (msg: Answer | Ready) => process.send?.(msg);
  process.on('message', (msg: Request) => {
    if (msg.method === 'shutdown') {
      void (async () => {
        try {
          await onShutdown?.();
        } finally {
          process.disconnect?.();
          process.exit(0);
        }
      })();
      return;
    }
    const handler = (msg.method === 'process' ? processStats : handlers[msg.method]) as ((args: unknown) => unknown) | undefined;
    void (async () => {
      try {
        if (!handler) throw new Error(`no method "${msg.method}"`);
        send({ id: msg.id, ok: true, value: await handler(msg.args) });
      } catch (err) {
        send({ id: msg.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  // The parent going away (Ctrl-C, crash) ends the child too.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true, value: readyValue });
}

export interface ProcessStats {
  pid: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /**
   * CPU of the main thread alone (its event loop), user + system, ms; null where the OS does not
   * say (outside Linux). The process total above includes worker threads (store writer, checkpoints).
   */
  mainThreadCpuMs: number | null;
  rssBytes: number;
  /** Peak resident set size of the process so far. */
  maxRssBytes: number;
  heapUsedBytes: number;
}

const CLOCK_TICKS_PER_S = 100;

/** Linux: utime + stime of the thread whose id is the pid (the main thread), from /proc. */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_S : null;
  } catch {
    return null;
  }
}

/** Every child answers `process` with this, so the parent can attribute CPU and memory per process. */
export function processStats(): ProcessStats {
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  return {
    pid: process.pid,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    mainThreadCpuMs: mainThreadCpuMs(),
    rssBytes: mem.rss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: mem.heapUsed,
  };
}

/** Arguments a child was started with (`BENCH_ARGS`, JSON), set by the parent in `startChild`. */
export function childArgs<T>(): T {
  return JSON.parse(process.env.BENCH_ARGS ?? '{}') as T;
}

const scratchDirs = new Set<string>();
let cleanupInstalled = false;

/**
 * A temporary folder that is removed when the bench exits, also on Ctrl-C (a soak's data folder
 * holds gigabytes), unless `keep`.
 */
export function scratchDir(prefix: string, keep: boolean): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const remove = () => {
    scratchDirs.delete(dir);
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  if (!keep) scratchDirs.add(dir);
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', () => {
      for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: stopping; temporary data removed\n`);
        process.exit(130);
      });
    }
  }
  return { dir, remove };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTO_INSURANCE } from '../../src/engine/demo/demo-workspace.js';
import { startBuyer, type BehaviourSource, type TestBuyer } from '../support/buyer-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

export interface ConsoleOptions {
  /** Start the demo buyers and the trickle of demo leads. */
  demo?: boolean;
  /** A workspace object (DESIGN.md §4), written to a temp file and passed as --workspace. */
  workspace?: object;
  /**
   * Copy this data folder and open the copy with `serve --read-only` (the compliance reviewer's
   * case). Stop the console that wrote it first so the copy is a settled database.
   */
  readOnlyCopyOf?: string;
}

export interface ConsoleHandle {
  /** `http://127.0.0.1:PORT/?token=…`: open it once per page; the token then lives in sessionStorage. */
  url: string;
  /** `http://127.0.0.1:PORT` of the intake listener, or '' when none runs (read-only). */
  intakeUrl: string;
  dataDir: string;
  /** What the server printed so far, for failure messages. */
  output(): string;
  /** Stops the server (SIGTERM, then SIGKILL). The data folder stays until the test process exits. */
  close(): Promise<void>;
}

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Spawns `pingdesk serve` on free ports and resolves once it printed its Console (and Intake) URL. */
export async function startConsole(opts: ConsoleOptions = {}): Promise<ConsoleHandle> {
  const dataDir = tempDir('pingdesk-e2e-');
  if (opts.readOnlyCopyOf) cpSync(opts.readOnlyCopyOf, dataDir, { recursive: true });
  const args = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'serve', '--data-dir', dataDir, '--console-port', '0', '--intake-port', '0'];
  if (opts.demo) args.push('--demo');
  if (opts.readOnlyCopyOf) args.push('--read-only');
  if (opts.workspace) {
    const file = join(tempDir('pingdesk-ws-'), 'workspace.json');
    writeFileSync(file, JSON.stringify(opts.workspace, null, 2));
    args.push('--workspace', file);
  }

  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'test', PINGDESK_KEY_DIR: process.env.PINGDESK_KEY_DIR ?? join(tmpdir(), 'pingdesk-e2e-keys') } });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));

  const { url, intakeUrl } = await new Promise<{ url: string; intakeUrl: string }>((resolveStart, reject) => {
    const timer = setTimeout(() => fail(new Error(`pingdesk serve did not start within ${START_TIMEOUT_MS} ms:\n${out}`)), START_TIMEOUT_MS);
    const check = () => {
      const consoleUrl = /^Console: (\S+)/m.exec(out)?.[1];
      const intake = /^Intake: (\S+)/m.exec(out)?.[1];
      // The Intake line follows the Console line when an intake listener runs; read-only has none.
      if (consoleUrl && (intake || opts.readOnlyCopyOf)) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolveStart({ url: consoleUrl, intakeUrl: intake ?? '' });
      }
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => fail(new Error(`pingdesk serve exited (${code}) before it was ready:\n${out}`)));
  });

  return { url, intakeUrl, dataDir, output: () => out, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}

export interface IntakeAnswer {
  status: number;
  // The intake answers different JSON shapes per status (DESIGN.md §4); specs read what they expect.
  body: Record<string, unknown>;
}

/** POSTs one lead to the intake listener as a lead source would. */
export async function sendLead(intakeUrl: string, body: object, key: string): Promise<IntakeAnswer> {
  const res = await fetch(`${intakeUrl}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

/** Where specs save their screenshot: docs/screenshots/<area>.png. */
export function screenshotPath(area: string): string {
  return join(ROOT, 'docs', 'screenshots', `${area}.png`);
}

// ---- a small exchange the specs share ---------------------------------------------------------

export const SOURCE_KEY = 'src_test_key_1';

export interface BuyerEndpoints {
  pingUrl: string;
  postUrl: string;
}

/**
 * The DESIGN.md §4 campaign with three loopback buyers: Acme and Bolt in tier 1 (floor $20), Cheap
 * in tier 2 (floor $5). Named sellers are required, so a lead that names nobody goes unsold.
 */
export function exchangeWorkspace(buyers: { acme: BuyerEndpoints; bolt: BuyerEndpoints; cheap: BuyerEndpoints }): object {
  const buyer = (id: string, name: string, b: BuyerEndpoints) => ({
    id,
    name,
    consentName: name,
    apiKey: `buy_${id}_key`,
    ping: { url: b.pingUrl, timeoutMs: 1000 },
    post: { url: b.postUrl, timeoutMs: 2000 },
  });
  return {
    version: 1,
    campaigns: [
      {
        ...AUTO_INSURANCE,
        pingTimeoutMs: 1500,
        postTimeoutMs: 3000,
        tiers: [
          { name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'] },
          { name: 'Tier 2', floor: 5, buyers: ['cheap'] },
        ],
      },
    ],
    sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'] }],
    buyers: [buyer('acme', 'Acme Insurance', buyers.acme), buyer('bolt', 'Bolt Auto', buyers.bolt), buyer('cheap', 'Cheap Leads', buyers.cheap)],
  };
}

export const CONSENT_TEXT = 'By clicking Get Quotes I agree to be contacted by Acme Insurance, Bolt Auto and Cheap Leads about auto insurance.';

/** Lead number n, with its own phone and email so duplicate checks never trip. */
export function leadBody(n: number, over: { sellers?: string[]; phone?: string; email?: string } = {}): object {
  return {
    campaign: 'auto-insurance',
    fields: {
      first_name: 'Ana',
      last_name: `Diaz${n}`,
      phone: over.phone ?? `+1512555${String(1000 + n).padStart(4, '0')}`,
      email: over.email ?? `ana.${n}@example.com`,
      state: 'TX',
      zip: '78701',
      age: 41,
      vehicle_year: 2019,
    },
    consent: {
      text: CONSENT_TEXT,
      captured_at: new Date().toISOString(),
      ip: '203.0.113.7',
      page_url: 'https://quotes.example/auto',
      trustedform_cert_url: `https://cert.trustedform.com/e2e${n}`,
      sellers: over.sellers ?? ['Acme Insurance', 'Bolt Auto', 'Cheap Leads'],
    },
    test: false,
  };
}

export interface Exchange {
  acme: TestBuyer;
  bolt: TestBuyer;
  cheap: TestBuyer;
  console: ConsoleHandle;
  close(): Promise<void>;
}

/** Three real loopback buyers behaving as told, and a console over `exchangeWorkspace` of them. */
export async function startExchange(behaviours: { acme: BehaviourSource; bolt: BehaviourSource; cheap: BehaviourSource }): Promise<Exchange> {
  const [acme, bolt, cheap] = await Promise.all([startBuyer(behaviours.acme), startBuyer(behaviours.bolt), startBuyer(behaviours.cheap)]);
  const consoleApp = await startConsole({ workspace: exchangeWorkspace({ acme, bolt, cheap }) });
  return {
    acme,
    bolt,
    cheap,
    console: consoleApp,
    async close() {
      await consoleApp.close();
      await Promise.all([acme.close(), bolt.close(), cheap.close()]);
    },
  };
}

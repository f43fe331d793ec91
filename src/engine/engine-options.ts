import type { Logger } from 'pino';
import type { ConsoleHost } from './console/console-host.js';
import type { IntakeLimits } from './intake/client-guards.js';
import type { CheckpointSchedule, SigningKeyStore } from './store/index.js';
import type { MarketOptions } from './market/start-market.js';

export interface EngineOptions {
  dataDir: string;
  /** A workspace file imported at start (replaces the stored configuration). */
  workspaceFile?: string;
  intakeHost?: string;
  /** 0 picks a free port; default 7301. */
  intakePort?: number;
  /** Open a copy of a data folder for review: no intake, no changes. */
  readOnly?: boolean;
  /** Serve this archive file (`pingdesk archive`) read-only instead of the folder's database; implies readOnly. */
  archiveFile?: string;
  /** Local demo buyers, a demo workspace and a trickle of demo leads. */
  demo?: boolean | { leadsPerSecond?: number };
  durability?: 'normal' | 'full';
  /** Commit queued writes in the store's writer thread (default true); false commits them on the event loop. */
  writerThread?: boolean;
  /** The private key that signs audit checkpoints (default: outside the data folder, see signing-key.ts). */
  signingKeyFile?: string;
  /** Where the signing key is kept instead of a file (the desktop app's OS keychain). */
  signingKeys?: SigningKeyStore;
  /** When the audit chain's head is signed (default: within 60 s of an append or every 1,000 events, looked at each second). */
  auditCheckpoints?: CheckpointSchedule;
  now?: () => number;
  logger?: Logger;
  version?: string;
  mode?: 'electron' | 'browser';
  /** Bearer key for `GET /metrics` on the intake port (refused there without one). */
  metricsKey?: string;
  /** Request timeouts and the per-address connection cap of the intake listener. */
  intakeLimits?: IntakeLimits;
  /** How long `close()` waits for auctions and connections before cutting them (default 15 s). */
  drainTimeoutMs?: number;
  /** How often automatic tier placement runs (default every minute). */
  placementIntervalMs?: number;
  /** Dynamic floors and lead value retraining (intervals; tests shorten them). */
  market?: MarketOptions;
}

export interface Engine {
  consoleHost: ConsoleHost;
  intakeUrl: string | null;
  dataDir: string;
  exportsDir: string;
  logger: Logger;
  /** Prometheus text of this engine's metrics (the console port serves it behind its token). */
  metrics(): Promise<{ contentType: string; body: string }>;
  close(): Promise<void>;
}

import path from 'node:path';

/** What the app's command line may ask for; everything else (Chromium switches) is ignored. */
export interface MainArgs {
  /** A data folder other than the one under userData. */
  dataDir?: string;
  /** Open the data folder for review only: no intake, no changes, no single-instance lock. */
  readOnly: boolean;
  /** An archive file (`pingdesk archive`) to open for review: read-only, no intake, no lock. */
  archive?: string;
  workspaceFile?: string;
  intakePort?: number;
  demo: boolean;
}

/** Reads `--flag value` and `--flag=value` forms anywhere in argv (Electron puts its own entries first). */
export function parseMainArgs(argv: readonly string[]): MainArgs {
  const value = (flag: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (arg === flag && i + 1 < argv.length && !argv[i + 1].startsWith('--')) return argv[i + 1];
      if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    }
    return undefined;
  };
  const port = value('--intake-port');
  const intakePort = port !== undefined && /^\d{1,5}$/.test(port) && Number(port) <= 65_535 ? Number(port) : undefined;
  const archive = value('--open');
  return {
    dataDir: value('--data-dir'),
    readOnly: argv.includes('--read-only') || archive !== undefined,
    ...(archive !== undefined ? { archive } : {}),
    workspaceFile: value('--workspace'),
    intakePort,
    demo: argv.includes('--demo'),
  };
}

/** The folder the engine runs on: the one asked for, else the demo's own or the broker's under userData. */
export function mainDataDir(args: Pick<MainArgs, 'dataDir' | 'demo'>, userData: string): string {
  // The demo keeps to its own folder, so it never meets the broker's configuration.
  return args.dataDir ?? path.join(userData, args.demo ? 'data-demo' : 'data');
}

/** What a second instance says before it exits: the running one holds the folder. */
export function alreadyRunningMessage(dataDir: string, owner: { pid: number } | null): string {
  const who = owner ? `process ${owner.pid}` : 'another Pingdesk instance';
  return `pingdesk: Pingdesk is already running (${who}) on ${dataDir}; its window was brought to the front.`;
}

import { readFileSync } from 'node:fs';
import { ConfigService } from '../config/config-service.js';
import { releaseDemoFolder } from '../demo/demo-folder.js';
import type { EngineOptions } from '../engine-options.js';
import type { Store } from '../store/index.js';
import type { EventBus } from './event-bus.js';

const AUDIT_ACTOR_CLI = 'cli';

/** The live configuration, with the workspace file given at start imported over the stored one. */
export function startConfig(opts: EngineOptions, store: Store, now: () => number, readOnly: boolean, events: EventBus): ConfigService {
  const config = new ConfigService(store, { now, onChange: (change) => events.emit('config.changed', change) });
  if (!readOnly && opts.workspaceFile) {
    const ws = JSON.parse(readFileSync(opts.workspaceFile, 'utf8')) as unknown;
    config.importWorkspace(ws, AUDIT_ACTOR_CLI);
    if (!opts.demo) releaseDemoFolder(store);
  }
  return config;
}

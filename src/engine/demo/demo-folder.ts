import { PingdeskError } from '../../shared/errors.js';
import type { Store } from '../store/index.js';

/** The meta key that marks a data folder as the demo's own. */
export const DEMO_META_KEY = 'demo';

/**
 * `--demo` replaces the stored configuration with the demo workspace at every start, so it may
 * only run on a folder that is already a demo folder or holds no configuration at all (which it
 * then marks as a demo folder). A broker's own configuration is refused, untouched.
 */
export function claimDemoFolder(store: Store, dataDir: string): void {
  if (store.readMeta(DEMO_META_KEY) !== null) return;
  const stored = store.loadWorkspaceEntities();
  const held = stored.campaigns.length + stored.sources.length + stored.buyers.length;
  if (held > 0) {
    throw new PingdeskError(
      'demo_folder_refused',
      `The data folder ${dataDir} holds a configuration of its own (${stored.campaigns.length} campaigns, ${stored.sources.length} sources, ${stored.buyers.length} buyers), ` +
        `which the demo would replace. Run the demo without --data-dir (it uses ./data-demo), or on an empty folder.`,
    );
  }
  store.writeMeta(DEMO_META_KEY, new Date().toISOString());
}

/** A folder given a broker's own workspace is no longer the demo's to overwrite. */
export function releaseDemoFolder(store: Store): void {
  if (store.readMeta(DEMO_META_KEY) !== null) store.writeMeta(DEMO_META_KEY, null);
}

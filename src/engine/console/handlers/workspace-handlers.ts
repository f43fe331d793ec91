import { releaseDemoFolder } from '../../demo/demo-folder.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Settings → the whole workspace (campaigns, sources, buyers) as one JSON document, out and in. */
export function workspaceHandlers(d: HandlerDeps): HandlersOf<'workspace'> {
  const { config } = d;
  return {
    'workspace.export': () => config.exportWorkspace(),
    'workspace.import': ({ workspace }, ctx) => {
      const ws = config.importWorkspace(workspace, ctx.actor);
      // The folder now holds the broker's own configuration: `--demo` must not replace it.
      releaseDemoFolder(d.store);
      return { campaigns: ws.campaigns.length, sources: ws.sources.length, buyers: ws.buyers.length };
    },
  };
}

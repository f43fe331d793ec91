import type { SourceView } from '../../../shared/console-api.js';
import { keyView } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Sources: the lead sellers and their intake API keys. */
export function sourcesHandlers(d: HandlerDeps): HandlersOf<'sources'> {
  const { store, config } = d;
  const sourceView = (id: string): SourceView => ({ spec: config.source(id), keys: store.listApiKeys('source', id).map(keyView) });
  return {
    'sources.list': () => config.workspace.sources.map((s) => sourceView(s.id)),
    'sources.save': ({ source }, ctx) => sourceView(config.saveSource(source, ctx.actor).id),
    'sources.delete': ({ id }, ctx) => {
      config.deleteSource(id, ctx.actor);
      return { deleted: true };
    },
    'sources.createKey': ({ sourceId }, ctx) => config.createKey('source', sourceId, ctx.actor),
    'sources.revokeKey': ({ keyId }, ctx) => {
      config.revokeKey(keyId, ctx.actor);
      return { revoked: true };
    },
  };
}

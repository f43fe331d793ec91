import { inboundPingViews } from '../inbound-pings-view.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Live → inbound pings held while a source decides whether to post. */
export function pingsHandlers(d: HandlerDeps): HandlersOf<'pings'> {
  return {
    'pings.inbound': () => inboundPingViews(d.inboundPings?.() ?? [], d.now()),
  };
}

import type { z } from 'zod';
import type { ConsoleEvents, ConsoleMethods, EventName, MethodName, MethodResult, Reply } from '../../shared/console-api.js';
import { consoleMethods } from '../../shared/console-api.js';
import { PingdeskError, toWireError } from '../../shared/errors.js';
import { issuesToDetails } from '../workspace/validate-workspace.js';

export interface CallContext {
  /** Who is acting, for the audit trail ("console", "console:electron", ...). */
  actor: string;
}

/** The engine's implementation of the contract: one handler per method, arguments already validated. */
export type ConsoleHandlers = {
  [K in MethodName]: (args: z.output<ConsoleMethods[K]['args']>, ctx: CallContext) => Promise<MethodResult<K>> | MethodResult<K>;
};

export type EventListener = <E extends EventName>(name: E, payload: ConsoleEvents[E]) => void;

/** What a transport needs: a generic call and an event subscription. Transports add nothing per method. */
export interface ConsoleHost {
  call(name: string, args: unknown, ctx: CallContext): Promise<Reply<unknown>>;
  subscribe(listener: EventListener): () => void;
  readonly readOnly: boolean;
}

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(consoleMethods, name);
}

/**
 * Generic dispatch: unknown method → not_found; arguments validated with the method's schema;
 * mutating methods refused in read-only mode; every failure becomes `{ ok: false, error }`.
 */
export function createConsoleHost(opts: {
  handlers: ConsoleHandlers;
  readOnly: boolean;
  subscribe: (listener: EventListener) => () => void;
  onError?: (name: string, err: unknown) => void;
}): ConsoleHost {
  return {
    readOnly: opts.readOnly,
    subscribe: opts.subscribe,
    async call(name, args, ctx) {
      try {
        if (!isMethodName(name)) throw new PingdeskError('not_found', `No console method "${name}"`);
        const def = consoleMethods[name];
        if (def.mutates && opts.readOnly) throw new PingdeskError('read_only', 'This data folder is open read-only; nothing can be changed');
        // Both transports treat missing arguments alike: as an empty object.
        const parsed = def.args.safeParse(args ?? {});
        if (!parsed.success) throw new PingdeskError('validation_failed', 'Some entries were not accepted: see each one for how to fix it', { details: issuesToDetails(parsed.error.issues) });
        const handler = opts.handlers[name] as (a: unknown, c: CallContext) => unknown;
        const value = await handler(parsed.data, ctx);
        return { ok: true, value };
      } catch (err) {
        if (!(err instanceof PingdeskError)) opts.onError?.(name, err);
        return { ok: false, error: toWireError(err) };
      }
    },
  };
}

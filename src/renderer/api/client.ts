import type { ConsoleApi, ConsoleEvents, EventName, MethodArgs, MethodName, MethodResult, Reply } from '../../shared/console-api.js';
import { consoleEventNames } from '../../shared/console-api.js';
import type { WireError } from '../../shared/errors.js';
import type { PreloadBridge } from '../../shared/transport.js';
import { TOKEN_HEADER } from '../../shared/transport.js';

/** An engine error as the console shows it: the code, the human message and the fields at fault. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: WireError['details'];
  constructor(error: WireError) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
  }
}

type Listener<E extends EventName> = (payload: ConsoleEvents[E]) => void;

declare global {
  interface Window {
    pingdesk?: PreloadBridge;
  }
}

interface Transport {
  call(name: string, args: unknown): Promise<Reply<unknown>>;
  listen(emit: (name: EventName, payload: unknown) => void): void;
}

function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    call: (name, args) => bridge.call(name, args),
    listen: (emit) => void bridge.onEvent((name, payload) => emit(name, payload)),
  };
}

function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  return r.ok === true || (r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string');
}

function readToken(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('pingdesk.token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('pingdesk.token') ?? '';
}

function httpTransport(): Transport {
  const token = readToken();
  return {
    async call(name, args) {
      const res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(args ?? {}),
      });
      const body: unknown = res.headers.get('content-type')?.includes('application/json') ? await res.json() : null;
      if (isReply(body)) return body;
      return { ok: false, error: { code: 'internal', message: `The console server answered HTTP ${res.status}` } };
    },
    listen(emit) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      for (const name of consoleEventNames) {
        source.addEventListener(name, (e) => emit(name, JSON.parse((e as MessageEvent<string>).data)));
      }
    },
  };
}

function createClient() {
  let transport: Transport | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const get = (): Transport => {
    if (!transport) {
      transport = typeof window !== 'undefined' && window.pingdesk ? ipcTransport(window.pingdesk) : httpTransport();
      transport.listen((name, payload) => listeners.get(name)?.forEach((fn) => fn(payload)));
    }
    return transport;
  };

  async function call<K extends MethodName>(name: K, args: MethodArgs<K>): Promise<MethodResult<K>> {
    const reply = await get().call(name, args);
    if (!reply.ok) throw new ApiError(reply.error);
    return reply.value as MethodResult<K>;
  }

  /** Typed methods generated from the contract: `api['buyers.list']({})`. */
  const api = new Proxy({} as ConsoleApi, {
    get: (_target, name: string) => (args: unknown) => call(name as MethodName, args as never),
  });

  function on<E extends EventName>(name: E, fn: Listener<E>): () => void {
    get();
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(fn as (payload: unknown) => void);
    return () => set.delete(fn as (payload: unknown) => void);
  }

  return { api, call, on };
}

export const client = createClient();
export const api = client.api;
export const onEvent = client.on;

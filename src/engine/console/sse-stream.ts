import type { ServerResponse } from 'node:http';
import type { EventBatcher } from './event-batcher.js';

/** A client that lets this much unsent data pile up is not reading: it is cut off and may reconnect. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export interface EventStream {
  close(): void;
}

/**
 * Carries console events to one browser as server-sent events (`event: <name>`, `data: <json>`).
 * A comment line every `heartbeatMs` keeps idle proxies and the browser from timing out; the
 * subscription ends when the client goes away or the server closes.
 */
export function openEventStream(
  res: ServerResponse,
  events: Pick<EventBatcher, 'subscribe'>,
  opts: { heartbeatMs: number; headers: Readonly<Record<string, string>>; onClose: () => void },
): EventStream {
  let open = true;
  res.writeHead(200, {
    ...opts.headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 3000\n: connected\n\n');

  const write = (chunk: string): void => {
    if (!open) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      close();
      return;
    }
    res.write(chunk);
  };

  const unsubscribe = events.subscribe((name, payload) => write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`));
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), opts.heartbeatMs);
  heartbeat.unref();

  function close(): void {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
    opts.onClose();
  }

  res.on('close', close);
  return { close };
}

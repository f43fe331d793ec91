import type { Dispatcher } from 'undici';

/** A buyer's answer: status, content type and the body as text. */
export interface TextAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

/**
 * One HTTP exchange through undici's dispatcher with the answer's body collected as text, straight
 * from its chunks: undici's `request()` wraps every answer in a Readable stream, and eleven
 * exchanges per lead made that stream machinery (its queued ticks, listeners and state objects) a
 * measurable share of the event loop's work and garbage. The dispatcher's own limits still apply
 * (its `maxResponseSize` fails an answer that grows past it). Rejects with undici's errors, as
 * `request()` does, for the caller to classify; `signal` aborts the exchange at any point.
 */
export function exchangeText(dispatcher: Dispatcher, url: URL, req: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body: string | undefined }, signal: AbortSignal): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | null = null;
    let status = 0;
    let contentType: string | undefined;
    let chunks: Buffer[] = [];
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      return true;
    };
    // Aborted while still queued for a socket: the caller hears it at once, and the request is cut
    // when it starts (onRequestStart); once started, the abort fails it through onResponseError.
    function onAbort(): void {
      if (controller) controller.abort(abortError(signal));
      else if (settle()) reject(abortError(signal));
    }
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal.aborted) c.abort(abortError(signal));
      },
      onResponseStart(_c, statusCode, headers) {
        status = statusCode;
        const type = headers['content-type'];
        contentType = Array.isArray(type) ? type[0] : type;
        chunks = [];
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settle()) resolve({ status, contentType, body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') });
      },
      onResponseError(_c, err) {
        if (settle()) reject(err);
      },
    };
    try {
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: req.method, headers: req.headers, body: req.body }, handler);
    } catch (err) {
      // A request undici refuses outright (a bad header, a closed agent).
      if (settle()) reject(err);
    }
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('Request aborted') as Error & { code: string };
  err.name = 'AbortError';
  err.code = 'UND_ERR_ABORTED';
  return err;
}

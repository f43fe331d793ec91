import type { Logger } from 'pino';
import type { DemoHandle } from '../demo/run-demo.js';
import { drainWithin } from '../drain.js';
import type { IntakeServer } from '../intake/intake-server.js';
import type { StartedParts } from '../started-parts.js';
import type { InFlight } from './in-flight.js';

interface CloseDeps {
  inFlight: InFlight;
  demo: DemoHandle | null;
  intake: IntakeServer | null;
  drainTimeoutMs: number;
  logger: Logger;
  parts: StartedParts;
}

/**
 * The engine's `close()`, idempotent: stops intake (503), lets auctions in flight finish within the
 * drain time, cuts what is left, then closes every started part in reverse order.
 */
export function engineCloser({ inFlight, demo, intake, drainTimeoutMs, logger, parts }: CloseDeps): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => {
    closing ??= (async () => {
      inFlight.draining = true;
      await demo?.stopTraffic();
      if (intake) {
        const drained = await drainWithin(drainTimeoutMs, {
          inFlight: () => inFlight.list(),
          closeListener: () => intake.close(),
          forceClose: () => intake.forceClose(),
        });
        if (drained === 'forced') logger.warn({ drainTimeoutMs }, 'drain time over: cut the connections still open');
      } else {
        await Promise.allSettled(inFlight.list());
      }
      const failures = await parts.closeAll();
      for (const f of failures) process.stderr.write(`pingdesk: ${f.message}\n`);
    })();
    return closing;
  };
}

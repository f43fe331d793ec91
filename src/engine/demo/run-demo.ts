import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { ConfigService } from '../config/config-service.js';
import { DEMO_SOURCE_KEY, demoLead, demoWorkspace, startDemoBuyers } from './demo-buyers.js';
import { DEMO_SERIAL_SPACE, type DemoLeadBody } from './demo-lead.js';

export interface DemoHandle {
  stopTraffic(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `serve --demo`: local demo buyers with varied behaviour, a workspace that uses them, and a
 * trickle of demo leads through the real intake, so a new user sees auctions at once.
 */
export async function startDemo(opts: { config: ConfigService; intakeUrl: string; leadsPerSecond?: number; log: Logger }): Promise<DemoHandle> {
  const buyers = await startDemoBuyers({});
  try {
    opts.config.importWorkspace(demoWorkspace(buyers.buyers), 'demo');
  } catch (err) {
    await buyers.close();
    throw err;
  }
  const perSecond = opts.leadsPerSecond ?? 2;
  const nextLead = demoLeadSequence();
  let pending = Promise.resolve();
  let stopped = false;
  const timer = perSecond > 0
    ? setInterval(() => {
        if (stopped) return;
        const body = JSON.stringify(nextLead());
        pending = request(`${opts.intakeUrl}/v1/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_SOURCE_KEY}` },
          body,
        })
          .then((r) => r.body.dump())
          .catch((err: Error) => opts.log.warn({ err: err.message }, 'demo lead failed'));
      }, Math.max(10, Math.round(1000 / perSecond)))
    : null;
  timer?.unref();
  return {
    async stopTraffic() {
      stopped = true;
      if (timer) clearInterval(timer);
      await pending;
    },
    close: () => buyers.close(),
  };
}

/**
 * The demo source's leads: varied by a seeded generator, each with a consumer of its own. Serials
 * count up from a random start per run, so a run never repeats a consumer, and a restart lands far
 * from the last run's numbers (the duplicate window would refuse a repeat for 30 days).
 */
export function demoLeadSequence(start: number = randomInt(0, DEMO_SERIAL_SPACE)): () => DemoLeadBody {
  let seed = 0x2f6e2b1;
  const rng = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let serial = start;
  return () => demoLead(rng, { serial: serial++ });
}

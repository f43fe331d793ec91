import type { Logger } from 'pino';
import type { ConfigService } from '../config/config-service.js';
import { startDemo, type DemoHandle } from '../demo/run-demo.js';
import type { StartedParts } from '../started-parts.js';

/** `serve --demo`: local demo buyers and a trickle of demo leads sent to the intake. */
export async function startDemoPart(demoOption: boolean | { leadsPerSecond?: number }, config: ConfigService, intakeUrl: string, logger: Logger, parts: StartedParts): Promise<DemoHandle> {
  const rate = typeof demoOption === 'object' ? demoOption.leadsPerSecond : undefined;
  const demo = await startDemo({ config, intakeUrl, leadsPerSecond: rate, log: logger });
  parts.add('demo buyers', async () => {
    await demo.stopTraffic();
    await demo.close();
  });
  return demo;
}

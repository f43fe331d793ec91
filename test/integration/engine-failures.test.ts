import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../src/engine/auction/dispatch.js';
import { runAuction } from '../../src/engine/auction/run-auction.js';
import { CircuitBreaker } from '../../src/engine/signals/circuit-breaker.js';
import { BuyerSignals } from '../../src/engine/signals/rolling-signals.js';
import { Store } from '../../src/engine/store/index.js';
import { CapsLedger } from '../../src/engine/tree/caps-ledger.js';
import { compileWorkspace } from '../../src/engine/workspace/compile.js';
import { PingdeskError } from '../../src/shared/errors.js';
import { autoCampaign, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('engine failures', () => {
  it('a busy intake port is refused with a clear error and the data folder stays usable', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = makeDataDir();

    const failed = await startTestEngine({ dir, intakePort: port }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(PingdeskError);
    expect((failed as PingdeskError).code).toBe('conflict');
    expect((failed as PingdeskError).message).toContain(`intake port ${port}`);

    const again = await startTestEngine({ dir });
    cleanups.push(() => again.close());
    expect(await again.call('campaigns.list', {})).toEqual([]);
  });

  it('an engine failure mid-auction closes the auction as interrupted instead of leaving it open', async () => {
    const store = Store.open({ dataDir: makeDataDir() });
    cleanups.push(() => store.close());
    const buyer = { id: 'acme', name: 'Acme', ping: { url: 'http://127.0.0.1:9/ping' }, post: { url: 'http://127.0.0.1:9/post' } };
    const config = compileWorkspace(workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyer]), 1);
    const campaign = config.campaigns.get('auto-insurance');
    if (!campaign) throw new Error('campaign missing');
    const broken = { pingAll: async () => Promise.reject(new Error('disk on fire')) } as unknown as Dispatcher;
    const lead = leadBody();
    store.insertLead({ id: 'L1', campaignId: campaign.id, sourceId: 'pub-1', receivedAt: Date.now(), test: false, status: 'received', fields: lead.fields as never, consent: lead.consent as never, phoneHash: null, emailHash: null, state: 'TX', zip: '78701' });

    const outcome = runAuction(
      { store, dispatcher: broken, caps: new CapsLedger({ now: Date.now }), breaker: new CircuitBreaker({ now: Date.now }), signals: new BuyerSignals(), now: Date.now, newId: () => 'A1', onCircuitOpened: () => undefined, onFinished: () => undefined },
      { leadId: 'L1', sourceId: 'pub-1', campaign, config, fields: lead.fields as never, consent: lead.consent as never, test: false, state: 'TX' },
    );
    await expect(outcome).rejects.toThrow('disk on fire');
    await store.flush();

    expect(store.getAuction('A1')?.auction).toMatchObject({ status: 'interrupted', reason: 'ENGINE_ERROR' });
    expect(store.getLead('L1')?.status).toBe('interrupted');
    expect(store.auditForLead('L1').map((e) => e.type)).toContain('interrupted');
  });
});

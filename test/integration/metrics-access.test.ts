import { afterEach, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../../src/engine/console/http-transport.js';
import { autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();
let server: ConsoleServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('who may read /metrics', () => {
  it('the intake port refuses it without a metrics key configured; the console port serves it to the console token', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(acme, 'acme')]) });
    expect((await h.sendLead(leadBody())).body.status).toBe('sold');

    // No key configured: nobody reads metrics on the public port, whatever they send.
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer anything' }];
    for (const headers of attempts) {
      const refused = await h.get('/metrics', headers);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: 'unauthorized', message: expect.stringContaining('--metrics-key') });
    }

    server = await startConsoleServer({ host: h.engine.consoleHost, port: 0, metrics: h.engine.metrics });
    const url = `http://127.0.0.1:${server.port}/metrics`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);

    const holders: Array<Record<string, string>> = [{ authorization: `Bearer ${server.token}` }, { 'x-pingdesk-token': server.token }];
    for (const headers of holders) {
      const ok = await fetch(url, { headers });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('text/plain');
      expect(await ok.text()).toMatch(/^pingdesk_leads_total\{campaign="auto-insurance",status="sold",test="false"\} 1$/m);
    }
    expect((await fetch(`${url}?token=${server.token}`)).status).toBe(200);
  });
});

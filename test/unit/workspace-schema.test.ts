import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PingdeskError } from '../../src/shared/errors.js';
import { workspaceJsonSchema } from '../../src/engine/workspace/json-schema.js';
import { compileCampaign } from '../../src/engine/workspace/compile.js';
import { validateWorkspace } from '../../src/engine/workspace/validate-workspace.js';

const minimal = () => ({
  version: 1,
  campaigns: [
    {
      id: 'auto',
      name: 'Auto',
      vertical: 'auto-insurance',
      fields: { phone: { type: 'phone', required: true, contact: true }, state: { type: 'state', required: true } },
      pingFields: ['state'],
      tiers: [{ name: 'Tier 1', floor: 10, buyers: ['acme'] }],
    },
  ],
  sources: [{ id: 'pub', name: 'Pub', apiKey: 'src_key_123456', campaigns: ['auto'] }],
  buyers: [{ id: 'acme', name: 'Acme', ping: { url: 'http://127.0.0.1:9/ping' }, post: { url: 'http://127.0.0.1:9/post' } }],
});

function problems(input: unknown): string[] {
  try {
    validateWorkspace(input);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(PingdeskError);
    return ((err as PingdeskError).details ?? []).map((d) => `${d.field}: ${d.message}`);
  }
}

describe('workspace file', () => {
  it('the published JSON Schema is the one generated from the code (run `npm run schema` after a change)', () => {
    const published = JSON.parse(readFileSync(new URL('../../docs/workspace.schema.json', import.meta.url), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(workspaceJsonSchema())));
  });

  it('a minimal workspace imports with defaults filled in', () => {
    const ws = validateWorkspace(minimal());
    expect(ws.campaigns[0].pingTimeoutMs).toBe(300);
    expect(ws.campaigns[0].payout).toEqual({ type: 'percent', value: 70 });
  });

  it('post and auction bounds default to exclusive records within 5 s', () => {
    const c = validateWorkspace(minimal()).campaigns[0];
    expect(c).toMatchObject({ maxPostAttempts: 3, failOverOnUnknownPost: false });
    expect(c.auctionTimeoutMs).toBeUndefined();
    expect(compileCampaign(c)).toMatchObject({ auctionTimeoutMs: 5000, maxPostAttempts: 3, failOverOnUnknownPost: false });
    // Without an explicit bound, longer timeouts still leave room for one ping round and one post.
    expect(compileCampaign({ ...c, pingTimeoutMs: 2000, postTimeoutMs: 4000 }).auctionTimeoutMs).toBe(6000);
  });

  it('an auction timeout shorter than the ping and post timeouts is refused', () => {
    const ws = minimal();
    Object.assign(ws.campaigns[0], { pingTimeoutMs: 300, postTimeoutMs: 2000, auctionTimeoutMs: 2000, maxPostAttempts: 0 });
    expect(problems(ws)).toEqual(['campaigns[0].maxPostAttempts: The number of post attempts must be at least 1']);
    ws.campaigns[0] = { ...ws.campaigns[0], maxPostAttempts: 2 } as (typeof ws.campaigns)[0];
    expect(problems(ws)).toEqual([expect.stringMatching(/^campaigns\[0\]\.auctionTimeoutMs: the auction needs at least the ping and post timeouts \(2300 ms\)/)]);
  });

  it('a ping field that is a contact field is refused, by path', () => {
    const ws = minimal();
    ws.campaigns[0].pingFields = ['state', 'phone'];
    expect(problems(ws)).toEqual(['campaigns[0].pingFields[1]: "phone" is a contact field and can never be pinged']);
  });

  it('lists every problem of an invalid file by path, not only the first', () => {
    const ws = minimal() as ReturnType<typeof minimal> & { buyers: Array<Record<string, unknown>> };
    ws.campaigns[0].tiers[0].buyers = ['ghost'];
    ws.sources[0].campaigns = ['nowhere'];
    const found = problems(ws);
    expect(found).toContain('campaigns[0].tiers[0].buyers[0]: no buyer "ghost"');
    expect(found).toContain('sources[0].campaigns[0]: no campaign "nowhere"');
  });

  it('reports shape errors with their paths', () => {
    const ws = minimal() as unknown as { buyers: Array<{ post: { url: string } }>; campaigns: Array<{ minPrice: unknown }> };
    ws.buyers[0].post.url = 'not a url';
    ws.campaigns[0].minPrice = -1;
    const found = problems(ws).map((p) => p.split(':')[0]);
    expect(found).toEqual(expect.arrayContaining(['buyers[0].post.url', 'campaigns[0].minPrice']));
  });

  it('a buyer without a ping URL needs a fixed price', () => {
    const ws = minimal() as unknown as { buyers: Array<Record<string, unknown>> };
    delete ws.buyers[0].ping;
    expect(problems(ws)).toEqual(['buyers[0].fixedPrice: a buyer without a ping URL needs a fixedPrice']);
  });
});

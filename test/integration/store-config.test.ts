import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, SourceSpec, Workspace } from '../../src/shared/domain.js';
import { hashApiKey, Store } from '../../src/engine/store/index.js';
import { makeTempDir, removeDir } from './fixtures/store-records.js';

let dir: string;
let store: Store;
let ids = 0;

beforeEach(() => {
  dir = makeTempDir();
  store = Store.open({ dataDir: dir, now: () => 1000, newId: () => `key-${++ids}` });
});
afterEach(() => {
  store.close();
  removeDir(dir);
});

const campaign: CampaignSpec = {
  id: 'auto', name: 'Auto', vertical: 'auto-insurance', fields: { state: { type: 'state', required: true } }, pingFields: ['state'], minPrice: 5,
  payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 }, requireNamedSeller: false, duplicateWindowDays: 30,
  pingTimeoutMs: 300, postTimeoutMs: 2000, tiers: [{ name: 'T1', floor: 10, buyers: ['acme'] }],
};
const source: SourceSpec = { id: 'pub-1', name: 'Quotes', apiKey: 'src_test_key_1', campaigns: ['auto'] };
const buyer: BuyerSpec = { id: 'acme', name: 'Acme', apiKey: 'buy_acme_key', post: { url: 'http://127.0.0.1:9101/post' } };

describe('configuration and API keys', () => {
  it('replaces the workspace in one go and stores keys only as hashes', () => {
    const ws: Workspace = { version: 1, campaigns: [campaign], sources: [source], buyers: [buyer] };
    store.replaceWorkspace(ws);
    const loaded = store.loadWorkspaceEntities();
    expect(loaded.campaigns).toEqual([campaign]);
    expect(loaded.sources).toEqual([{ id: 'pub-1', name: 'Quotes', campaigns: ['auto'] }]);
    expect(JSON.stringify(loaded)).not.toContain('src_test_key_1');
    expect(store.findApiKeyOwner('src_test_key_1')).toEqual({ ownerKind: 'source', ownerId: 'pub-1' });
    expect(store.findApiKeyOwner('buy_acme_key')).toEqual({ ownerKind: 'buyer', ownerId: 'acme' });
    expect(store.findApiKeyOwner('wrong')).toBeNull();
    expect(store.apiKeyHashesFor('source', 'pub-1')).toEqual([hashApiKey('src_test_key_1')]);
    expect(store.listApiKeys('source')).toEqual([{ id: 'key-1', ownerKind: 'source', ownerId: 'pub-1', prefix: 'src_test', createdAt: 1000, revokedAt: null }]);
  });

  it('re-importing an exported workspace (hashes only) keeps keys working; dropped owners lose theirs', () => {
    store.replaceWorkspace({ version: 1, campaigns: [campaign], sources: [source], buyers: [buyer] });
    const exported = { ...source, apiKey: undefined, apiKeyHashes: store.apiKeyHashesFor('source', 'pub-1') };
    store.replaceWorkspace({ version: 1, campaigns: [campaign], sources: [exported], buyers: [] });
    expect(store.findApiKeyOwner('src_test_key_1')).toEqual({ ownerKind: 'source', ownerId: 'pub-1' });
    expect(store.findApiKeyOwner('buy_acme_key')).toBeNull();
    expect(store.loadWorkspaceEntities().buyers).toEqual([]);
  });

  it('adds, revokes and refuses to share keys', () => {
    store.saveSource({ id: 'pub-1', name: 'Quotes', campaigns: [] });
    const { id, prefix } = store.addApiKey('source', 'pub-1', 'src_live_abcdef123');
    expect(prefix).toBe('src_live');
    expect(() => store.addApiKey('buyer', 'acme', 'src_live_abcdef123')).toThrow(/another/);
    expect(() => store.addApiKeyHash('buyer', 'acme', 'md5:abc')).toThrow(/sha256/);
    // Authenticated once (and remembered), then revoked: refused from the next lookup on.
    expect(store.findApiKeyOwner('src_live_abcdef123')).toEqual({ ownerKind: 'source', ownerId: 'pub-1' });
    expect(store.revokeApiKey(id)).toBe(true);
    expect(store.revokeApiKey(id)).toBe(false);
    expect(store.findApiKeyOwner('src_live_abcdef123')).toBeNull();
    expect(store.listApiKeys('source', 'pub-1')[0].revokedAt).toBe(1000);
    expect(store.apiKeyHashesFor('source', 'pub-1')).toEqual([]);
    // Re-adding it makes it work again at once.
    store.addApiKey('source', 'pub-1', 'src_live_abcdef123');
    expect(store.findApiKeyOwner('src_live_abcdef123')?.ownerId).toBe('pub-1');
  });

  it('a workspace replaced without an owner refuses its key at once, after the key had authenticated', () => {
    store.replaceWorkspace({ version: 1, campaigns: [campaign], sources: [source], buyers: [buyer] });
    expect(store.findApiKeyOwner('buy_acme_key')?.ownerId).toBe('acme');
    store.replaceWorkspace({ version: 1, campaigns: [campaign], sources: [source], buyers: [] });
    expect(store.findApiKeyOwner('buy_acme_key')).toBeNull();
    expect(store.findApiKeyOwner('src_test_key_1')?.ownerId).toBe('pub-1');
  });

  it('saving a spec without keys leaves its keys alone; deleting the owner revokes them', () => {
    store.saveBuyer(buyer);
    store.saveBuyer({ ...buyer, apiKey: undefined, name: 'Acme Insurance' });
    expect(store.findApiKeyOwner('buy_acme_key')?.ownerId).toBe('acme');
    expect(store.loadWorkspaceEntities().buyers[0].name).toBe('Acme Insurance');
    expect(store.deleteBuyer('acme')).toBe(true);
    expect(store.findApiKeyOwner('buy_acme_key')).toBeNull();
    store.saveCampaign(campaign);
    expect(store.deleteCampaign('auto')).toBe(true);
    expect(store.deleteCampaign('auto')).toBe(false);
  });
});

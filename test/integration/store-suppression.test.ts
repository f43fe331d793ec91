import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = makeTempDir();
  store = Store.open({ dataDir: dir });
});
afterEach(() => {
  store.close();
  removeDir(dir);
});

function csvFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('suppression', () => {
  it('imports a CSV with phone and email columns, normalising and refusing bad rows', async () => {
    const file = csvFile(
      'dnc.csv',
      ['phone,email,note', '(512) 555-0142,Ana@Example.com,first', '+1 512 555 0143,,', 'not-a-phone,bob@example,x', '512-555-0142,carl@example.org,dup phone', ''].join('\n'),
    );
    const r = await store.importSuppressionCsv(file, { now: T0, source: 'dnc.csv' });
    expect(r.added).toBe(4);
    expect(r.duplicates).toBe(1);
    expect(r.refused).toEqual([
      { line: 4, value: 'not-a-phone', reason: 'invalid_phone' },
      { line: 4, value: 'bob@example', reason: 'invalid_email' },
    ]);
    expect(store.isSuppressed({ phoneHash: store.hashContact('+15125550142') })).toBe(true);
    expect(store.isSuppressed({ phoneHash: store.hashContact('+15125550143') })).toBe(true);
    expect(store.isSuppressed({ emailHash: store.hashContact('ana@example.com') })).toBe(true);
    expect(store.isSuppressed({ phoneHash: store.hashContact('+15125550144'), emailHash: store.hashContact('zed@example.com') })).toBe(false);
    // A phone hash never matches as an email.
    expect(store.isSuppressed({ emailHash: store.hashContact('+15125550142') })).toBe(false);
  });

  it('imports a header-less single column, classifying each value by its @', async () => {
    const file = csvFile('plain.csv', '5125550142\nana@example.com\n"  +44 20 7946 0958 "\n12\n');
    const r = await store.importSuppressionCsv(file, { now: T0, source: 'plain' });
    expect(r.added).toBe(3);
    expect(r.refused).toEqual([{ line: 4, value: '12', reason: 'invalid_phone' }]);
    expect(store.isSuppressed({ phoneHash: store.hashContact('+442079460958') })).toBe(true);
    const page = store.listSuppressions({ limit: 10 });
    expect(page.total).toBe(3);
    expect(page.rows.map((e) => e.hint).sort()).toEqual(['0142', '0958', 'a***@example.com']);
    expect(page.rows.every((e) => e.source === 'plain' && e.addedAt === T0)).toBe(true);
  });

  it('imports CSV text from memory the same way', async () => {
    const r = await store.importSuppressionText('email\nx@example.com\n', { now: T0, source: 'console' });
    expect(r).toMatchObject({ added: 1, duplicates: 0, refused: [] });
  });

  it('finds entries by phone, email or hint, and removes them', () => {
    const phoneHash = store.hashContact('+15125550142');
    store.addSuppressions([
      { kind: 'phone', hash: phoneHash, hint: '0142', addedAt: T0, source: 'operator' },
      { kind: 'email', hash: store.hashContact('ana@example.com'), hint: 'a***@example.com', addedAt: T0 + 1, source: 'operator' },
    ]);
    expect(store.listSuppressions({ query: '(512) 555-0142', limit: 10 }).rows.map((r) => r.hash)).toEqual([phoneHash]);
    expect(store.listSuppressions({ query: 'ANA@example.com', limit: 10 }).total).toBe(1);
    expect(store.listSuppressions({ query: 'example.com', limit: 10 }).total).toBe(1);
    expect(store.listSuppressions({ query: '%', limit: 10 }).total).toBe(0);
    expect(store.removeSuppression('phone', phoneHash)).toBe(true);
    expect(store.isSuppressed({ phoneHash })).toBe(false);
    expect(store.removeSuppression('phone', phoneHash)).toBe(false);
  });

  it('the list survives a reopen', () => {
    const phoneHash = store.hashContact('+15125550142');
    expect(store.addSuppressions([{ kind: 'phone', hash: phoneHash, hint: '0142', addedAt: T0, source: 'x' }])).toBe(1);
    expect(store.addSuppressions([{ kind: 'phone', hash: phoneHash, hint: '0142', addedAt: T0, source: 'x' }])).toBe(0);
    store.close();
    store = Store.open({ dataDir: dir });
    expect(store.isSuppressed({ phoneHash })).toBe(true);
  });
});

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

const DAY = 86_400_000;

describe('duplicate detection', () => {
  it('sees a fingerprint still waiting in the write queue (same millisecond)', () => {
    const phone = store.hashContact('+15125550142');
    expect(store.findDuplicate('auto', { phone }, T0 - 30 * DAY)).toBeNull();
    store.insertFingerprints('auto', 'lead-1', T0, { phone });
    expect(store.writeStats().pending).toBeGreaterThan(0);
    expect(store.findDuplicate('auto', { phone }, T0 - 30 * DAY)).toBe('lead-1');
  });

  it('sees committed fingerprints by phone or by email, within the campaign only', async () => {
    const phone = store.hashContact('+15125550142');
    const email = store.hashContact(' Ana@Example.com ');
    store.insertFingerprints('auto', 'lead-1', T0, { phone, email });
    await store.flush();
    expect(store.writeStats().pending).toBe(0);
    expect(store.findDuplicate('auto', { phone }, T0 - DAY)).toBe('lead-1');
    expect(store.findDuplicate('auto', { email: store.hashContact('ana@example.com') }, T0 - DAY)).toBe('lead-1');
    expect(store.findDuplicate('auto', { phone: store.hashContact('+15125550199'), email }, T0 - DAY)).toBe('lead-1');
    expect(store.findDuplicate('home', { phone, email }, T0 - DAY)).toBeNull();
  });

  it('respects the window, committed or pending', async () => {
    const phone = store.hashContact('+15125550142');
    store.insertFingerprints('auto', 'old', T0 - 31 * DAY, { phone });
    await store.flush();
    expect(store.findDuplicate('auto', { phone }, T0 - 30 * DAY)).toBeNull();
    expect(store.findDuplicate('auto', { phone }, T0 - 32 * DAY)).toBe('old');
    const other = store.hashContact('+15125550143');
    store.insertFingerprints('auto', 'pending-old', T0 - 31 * DAY, { phone: other });
    expect(store.findDuplicate('auto', { phone: other }, T0 - 30 * DAY)).toBeNull();
  });

  it('a lead with neither phone nor email is never a duplicate', () => {
    store.insertFingerprints('auto', 'lead-1', T0, {});
    expect(store.findDuplicate('auto', {}, 0)).toBeNull();
  });

  it('old fingerprints can be pruned', async () => {
    const phone = store.hashContact('+15125550142');
    store.insertFingerprints('auto', 'old', T0 - 100 * DAY, { phone });
    store.insertFingerprints('auto', 'new', T0, { email: store.hashContact('a@b.co') });
    await store.flush();
    expect(store.pruneFingerprints(T0 - 90 * DAY)).toBe(1);
    expect(store.findDuplicate('auto', { phone }, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/cli/serve.js';

describe('serve data folder defaults', () => {
  it('runs the demo in ./data-demo and the exchange in ./data unless a folder is named', () => {
    expect(defaultDataDir(false, {})).toBe('./data');
    expect(defaultDataDir(true, {})).toBe('./data-demo');
    expect(defaultDataDir(true, { PINGDESK_DATA_DIR: '/srv/pingdesk' })).toBe('/srv/pingdesk');
  });
});

/**
 * Who the demo buyers are. Consent names here are exactly what demo consent text names, so a demo
 * lead covers the buyers its campaign requires (or, when a seller is left out on purpose, shows
 * CONSENT_NOT_NAMED in the console).
 */
export const DEMO_AUTO_SELLERS = {
  'demo-acme': 'Acme Insurance',
  'demo-bolt': 'Bolt Auto',
  'demo-slowpoke': 'Slowpoke Mutual',
  'demo-flaky': 'Flaky Direct',
  'demo-picky': 'Picky Carriers',
  'demo-harbor': 'Harbor Insurance Group',
  'demo-budget': 'Budget Leads Co',
} as const;

export const DEMO_HOME_SELLERS = {
  'demo-homepro': 'HomePro Network',
  'demo-budget': 'Budget Leads Co',
} as const;

export const DEMO_SOURCE_KEY = 'src_demo_key_0001';
export const DEMO_HARBOR_KEY = 'harbor-demo-key';
export const DEMO_HOMEPRO_TOKEN = 'homepro-demo-token';

import { DEMO_AUTO_SELLERS, DEMO_HOME_SELLERS } from './demo-names.js';

/** The intake body of DESIGN.md §4. */
export interface DemoLeadBody {
  campaign: 'auto-insurance' | 'home-services';
  fields: Record<string, string | number | boolean>;
  consent: { text: string; captured_at: string; ip: string; page_url: string; trustedform_cert_url: string; sellers: string[] };
  test: boolean;
}

/** Places whose area code and zip agree; the numbers built on them pass libphonenumber's US validation. */
const PLACES = [
  { state: 'TX', zips: ['78701', '78704', '78745'], area: '512' },
  { state: 'TX', zips: ['75201', '75204', '75214'], area: '214' },
  { state: 'TX', zips: ['77002', '77006', '77019'], area: '713' },
  { state: 'CA', zips: ['94103', '94110', '94117'], area: '415' },
  { state: 'CA', zips: ['90012', '90026', '90042'], area: '213' },
  { state: 'NY', zips: ['11201', '11215', '11238'], area: '718' },
  { state: 'FL', zips: ['33130', '33137', '33145'], area: '305' },
  { state: 'AZ', zips: ['85004', '85006', '85016'], area: '602' },
  { state: 'OH', zips: ['43215', '43201', '43206'], area: '614' },
  { state: 'GA', zips: ['30303', '30306', '30312'], area: '404' },
  { state: 'WA', zips: ['98101', '98103', '98122'], area: '206' },
  { state: 'IL', zips: ['60601', '60614', '60622'], area: '312' },
  { state: 'CO', zips: ['80202', '80205', '80211'], area: '303' },
];

const FIRST = ['Ana', 'Ben', 'Chloe', 'Diego', 'Emma', 'Farah', 'Grace', 'Hiro', 'Isaac', 'Jada', 'Kofi', 'Lena', 'Marco', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tess'];
const LAST = ['Diaz', 'Nguyen', 'Smith', 'Okafor', 'Kowalski', 'Haddad', 'Johnson', 'Tanaka', 'Moreau', 'Patel', 'Lindqvist', 'Garcia', 'Brown', 'Rossi'];
const SERVICES = ['roofing', 'solar', 'hvac', 'plumbing', 'windows'];
const TIMELINES = ['immediately', '1-3 months', '3-6 months', 'researching'];

/** Central-office codes 200–999 that are neither N11 nor the fictional 555 (791 of them). */
const EXCHANGES = Array.from({ length: 800 }, (_, i) => 200 + i).filter((code) => code !== 555 && code % 100 !== 11);
const LINES = 10_000;

/**
 * How many distinct consumers `serial` can name before it wraps: every exchange and line of one
 * area code (7.9 M), each combined with any of the places. At two leads a second that is 45 days.
 */
export const DEMO_SERIAL_SPACE = EXCHANGES.length * LINES;

/**
 * A plausible random lead for the demo source. Each seller of the campaign is named in the consent
 * nine times in ten, so some leads show a buyer skipped for want of consent. With `serial`, the
 * phone and email are derived from it, so distinct serials never name the same consumer (the demo
 * source counts up, and no lead is refused as a duplicate); without, they are random.
 */
export function demoLead(rng: () => number = Math.random, opts: { campaign?: DemoLeadBody['campaign']; now?: () => number; serial?: number } = {}): DemoLeadBody {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)];
  const int = (min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
  const campaign = opts.campaign ?? (rng() < 0.75 ? 'auto-insurance' : 'home-services');
  const place = pick(PLACES);
  const first = pick(FIRST);
  const last = pick(LAST);
  const serial = opts.serial === undefined ? null : ((Math.floor(opts.serial) % DEMO_SERIAL_SPACE) + DEMO_SERIAL_SPACE) % DEMO_SERIAL_SPACE;
  const common = {
    first_name: first,
    last_name: last,
    phone: serial === null ? `+1${place.area}${demoExchange(int)}${String(int(0, 9999)).padStart(4, '0')}` : serialPhone(place.area, serial),
    email: (serial === null ? `${first}.${last}${int(1, 999)}@example.com` : `${first}.${last}.${serial.toString(36)}@example.com`).toLowerCase(),
    state: place.state,
    zip: pick(place.zips),
  };
  const fields =
    campaign === 'auto-insurance'
      ? { ...common, age: int(18, 80), vehicle_year: int(2005, 2026) }
      : { ...common, service: pick(SERVICES), homeowner: rng() < 0.85, timeline: pick(TIMELINES) };
  const names = Object.values(campaign === 'auto-insurance' ? DEMO_AUTO_SELLERS : DEMO_HOME_SELLERS);
  const sellers = names.filter(() => rng() < 0.9);
  const now = (opts.now ?? Date.now)();
  return {
    campaign,
    fields,
    consent: {
      text: consentText(sellers, campaign),
      captured_at: new Date(now - int(5, 120) * 1000).toISOString(),
      ip: `203.0.113.${int(1, 254)}`,
      page_url: campaign === 'auto-insurance' ? 'https://quotes.example/auto' : 'https://quotes.example/home',
      trustedform_cert_url: `https://cert.trustedform.com/${Array.from({ length: 40 }, () => int(0, 15).toString(16)).join('')}`,
      sellers,
    },
    test: false,
  };
}

/** Distinct serials give distinct numbers within an area code: exchange and line are its digits. */
function serialPhone(area: string, serial: number): string {
  const exchange = EXCHANGES[Math.floor(serial / LINES)];
  return `+1${area}${exchange}${String(serial % LINES).padStart(4, '0')}`;
}

/** A central-office code that is neither N11 nor the fictional 555. */
function demoExchange(int: (min: number, max: number) => number): string {
  for (;;) {
    const code = int(200, 999);
    if (code !== 555 && code % 100 !== 11) return String(code);
  }
}

function consentText(sellers: string[], campaign: DemoLeadBody['campaign']): string {
  const topic = campaign === 'auto-insurance' ? 'auto insurance quotes' : 'home improvement services';
  const named = sellers.length ? sellers.join(', ') : 'no one';
  return (
    `By clicking "Get my quotes", I agree that ${named} and their agents may call and text me at the number I gave, ` +
    `including by autodialer and prerecorded message, about ${topic}. Consent is not a condition of purchase.`
  );
}

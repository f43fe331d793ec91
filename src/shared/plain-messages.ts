/**
 * Validation problems in a broker's words. The engine's schemas speak zod ("Too small: expected
 * string to have >=1 characters"); this is the one place that turns a zod issue into what is wrong
 * and how to fix it ("Enter a name"). The engine maps every issue here before it leaves as an error
 * detail, and the console passes any message it shows through `plainMessage`, so a raw one never
 * reaches a person.
 */

/** The parts of a zod issue the wording depends on (structural, so this file needs no zod at run time). */
export interface IssueLike {
  code: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
  input?: unknown;
  keys?: string[];
  values?: unknown[];
  format?: string;
  divisor?: number;
}

/** What a field is called on screen, by the last name in its path. */
const LABELS: Record<string, string> = {
  id: 'an id',
  name: 'a name',
  vertical: 'a vertical',
  url: 'a URL',
  timeoutMs: 'a timeout in ms',
  fixedPrice: 'a fixed price',
  minPrice: 'a minimum price',
  floor: 'a floor',
  dailyBudget: 'a daily budget',
  hourly: 'an hourly cap',
  daily: 'a daily cap',
  priority: 'a priority',
  bidAdjustmentPercent: 'a bid adjustment',
  consentName: 'a consent name',
  apiKey: 'an API key',
  timezone: 'a time zone',
  from: 'a start time',
  to: 'an end time',
  states: 'a state',
  excludeStates: 'a state',
  zips: 'a zip',
  excludeZips: 'a zip',
  value: 'a value',
  windowDays: 'a number of days',
  maxRatePercent: 'a percent',
  pingTimeoutMs: 'a ping timeout in ms',
  postTimeoutMs: 'a post timeout in ms',
  auctionTimeoutMs: 'an auction timeout in ms',
  duplicateWindowDays: 'a number of days',
  maxPostAttempts: 'a number of post attempts',
  maxSales: 'a number of sales',
  pingTtlSeconds: 'a number of seconds',
  rateLimitPerMinute: 'a number of leads per minute',
  campaigns: 'a campaign',
  buyers: 'a buyer',
  pingFields: 'a ping field',
};

const MONEY = new Set(['fixedPrice', 'minPrice', 'floor', 'dailyBudget']);
const WHOLE = /^(hourly|daily|priority|timeoutMs|.*TimeoutMs|windowDays|duplicateWindowDays|maxPostAttempts|maxSales|pingTtlSeconds|rateLimitPerMinute|bidAdjustmentPercent)$/;

function lastName(path: ReadonlyArray<PropertyKey>): string | undefined {
  for (let i = path.length - 1; i >= 0; i -= 1) if (typeof path[i] === 'string') return path[i] as string;
  return undefined;
}

function labelOf(path: ReadonlyArray<PropertyKey>): string {
  const key = lastName(path);
  return (key && LABELS[key]) ?? 'a value';
}

/** "a name" → "The name"; "an id" → "The id". */
function theLabel(path: ReadonlyArray<PropertyKey>): string {
  return labelOf(path).replace(/^(a|an) /, 'The ');
}

function amount(n: number | bigint | undefined, key: string | undefined): string {
  const v = Number(n);
  if (key && MONEY.has(key)) return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return v.toLocaleString('en-US');
}

/** True for zod's own English wording, which must never reach a person as it stands. */
export function isRawZodMessage(message: string): boolean {
  return /^(Invalid (input|string|option|key|element|value|URL|union)|Too (small|big):|Unrecognized keys?:|Expected |Number must|String must|Required$)/.test(message);
}

/** A sentence from an authored fragment: "an http(s) URL" stays as the schema meant it, capitalised. */
function sentence(message: string): string {
  const t = message.trim();
  return t ? t[0].toUpperCase() + t.slice(1) : t;
}

/** One zod issue in a broker's words. Messages the schema authored itself are kept (as a sentence). */
export function plainIssueMessage(issue: IssueLike): string {
  const key = lastName(issue.path);
  if (!isRawZodMessage(issue.message) && issue.code !== 'invalid_type') return sentence(issue.message);
  const label = labelOf(issue.path);
  const The = theLabel(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null || issue.input === '') return `Enter ${label}`;
      if (issue.expected === 'number' || issue.expected === 'int') return key && MONEY.has(key) ? `Enter ${label} as a dollar amount, e.g. 15.00` : `Enter ${label} as a number`;
      if (issue.expected === 'string') return `Enter ${label} as text`;
      if (issue.expected === 'array') return `Enter ${label} as a list`;
      if (issue.expected === 'boolean') return `Choose yes or no for ${label.replace(/^(a|an) /, 'the ')}`;
      if (issue.expected === 'object') return `${The} is missing its settings`;
      return `${The} is not valid here`;
    }
    case 'too_small': {
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `Enter ${label}` : `${The} needs at least ${amount(issue.minimum, undefined)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Add at least ${Number(issue.minimum) <= 1 ? 'one' : amount(issue.minimum, undefined)} ${label.replace(/^(a|an) /, '')}`;
      if (Number(issue.minimum) === 0) return `${The} cannot be negative`;
      return `${The} must be ${issue.inclusive === false ? 'above' : 'at least'} ${amount(issue.minimum, key)}`;
    }
    case 'too_big': {
      if (issue.origin === 'string') return `${The} can be at most ${amount(issue.maximum, undefined)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Keep at most ${amount(issue.maximum, undefined)} entries`;
      // zod's safe-integer limit: the person typed a number too large to mean anything.
      if (Number(issue.maximum) >= Number.MAX_SAFE_INTEGER) return `${The} is too large`;
      return `${The} can be at most ${amount(issue.maximum, key)}`;
    }
    case 'invalid_format':
      if (issue.format === 'url') return 'Enter a full web address starting with http:// or https://';
      if (issue.format === 'email') return 'Enter an email address, e.g. ana@example.com';
      return `${The} is not in the expected form`;
    case 'not_multiple_of':
      return key && (WHOLE.test(key) || issue.divisor === 1) ? `Enter ${label} as a whole number` : `${The} has too many decimals`;
    case 'unrecognized_keys': {
      const keys = issue.keys ?? [];
      return keys.length === 1 ? `"${keys[0]}" is not a setting Pingdesk knows: remove it` : `${keys.map((k) => `"${k}"`).join(', ')} are not settings Pingdesk knows: remove them`;
    }
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      return values.length ? `Choose one of: ${values.join(', ')}` : `${The} is not one of the allowed choices`;
    }
    case 'invalid_union':
      return `${The} is not valid here`;
    default:
      return `${The} is not valid here`;
  }
}

/**
 * Any message about a field, made fit to show: a raw zod sentence becomes a plain one (by field name),
 * an authored fragment ("no buyer \"x\"") becomes a sentence. Used by the console for whatever it shows.
 */
export function plainMessage(message: string, field?: string): string {
  if (!isRawZodMessage(message)) return sentence(message);
  const path = (field ?? '').split(/[.[\]]+/).filter(Boolean);
  if (/^Too small:.*>=1 characters/.test(message) || /received undefined/.test(message) || message === 'Required') return `Enter ${labelOf(path)}`;
  if (/^Too big:.*9007199254740991/.test(message)) return `${theLabel(path)} is too large`;
  if (/expected int|expected number/.test(message)) return `Enter ${labelOf(path)} as a number`;
  return `${theLabel(path)} is not valid here`;
}

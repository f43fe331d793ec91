/**
 * A buyer request described as data. Adapters (ping and post builders) produce these and never do
 * I/O; `auction/dispatch.ts` is the only code that sends them.
 */
export interface HttpRequestSpec {
  url: string;
  method: 'POST' | 'PUT';
  /** Header names are lower-case, so a later source overrides an earlier one whatever its case. */
  headers: Record<string, string>;
  body: string;
}

export const CONTENT_TYPES = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  xml: 'application/xml; charset=utf-8',
} as const;

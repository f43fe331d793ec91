/**
 * The one Content-Security-Policy of the console, wherever it is served from: the browser-mode HTTP
 * server, the Electron session's response headers and the `<meta>` tag that the renderer build
 * injects into index.html. Nothing inline runs, nothing is fetched from elsewhere, nothing frames us.
 */
export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** As an HTTP header value. */
export const CONTENT_SECURITY_POLICY = CSP_DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ');

/**
 * As a `<meta http-equiv>` value: browsers ignore (and warn about) `frame-ancestors` in a meta tag,
 * so it is left out there; the header still carries it.
 */
export const CONTENT_SECURITY_POLICY_META = CSP_DIRECTIVES.filter(([name]) => name !== 'frame-ancestors')
  .map(([name, value]) => `${name} ${value}`)
  .join('; ');

/** The other headers every console response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

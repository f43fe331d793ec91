import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh console token: 24 random bytes, URL-safe. One per server start, never stored. */
export function createConsoleToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The console answers only to the names of the loopback interface it is bound to. A page on another
 * site whose DNS name is rebound to 127.0.0.1 still sends its own name in `Host`, so it is refused.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const host = hostHeader.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Constant-time comparison, so the token cannot be guessed a character at a time. */
export function tokensMatch(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/engine/signals/circuit-breaker.js';

function setup(threshold = 3, coolDownMs = 1000) {
  let t = 1_000_000;
  const breaker = new CircuitBreaker({ threshold, coolDownMs, now: () => t });
  const failTimes = (n: number) => Array.from({ length: n }, () => breaker.recordFailure('acme'));
  return { breaker, failTimes, advance: (ms: number) => (t += ms) };
}

describe('circuit breaker', () => {
  it('opens after N consecutive failures and says so once', () => {
    const { breaker, failTimes } = setup(3);
    expect(failTimes(2)).toEqual([null, null]);
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.recordFailure('acme')).toBe('opened');
    expect(breaker.isOpen('acme')).toBe(true);
    expect(breaker.state('acme')).toBe('open');
    expect(breaker.recordFailure('acme')).toBeNull();
  });

  it('a success in between resets the count', () => {
    const { breaker, failTimes } = setup(3);
    failTimes(2);
    breaker.recordSuccess('acme');
    expect(failTimes(2)).toEqual([null, null]);
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.failures('acme')).toBe(2);
  });

  it('keeps buyers apart', () => {
    const { breaker, failTimes } = setup(2);
    failTimes(2);
    expect(breaker.isOpen('acme')).toBe(true);
    expect(breaker.isOpen('bolt')).toBe(false);
    expect(breaker.state('bolt')).toBe('closed');
  });

  it('after the cool-down it allows exactly one trial', () => {
    const { breaker, failTimes, advance } = setup(2, 1000);
    failTimes(2);
    advance(999);
    expect(breaker.isOpen('acme')).toBe(true);
    advance(1);
    expect(breaker.state('acme')).toBe('half-open');
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.isOpen('acme')).toBe(true);
    expect(breaker.isOpen('acme')).toBe(true);
  });

  it('a successful trial closes the circuit', () => {
    const { breaker, failTimes, advance } = setup(2, 1000);
    failTimes(2);
    advance(1000);
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.recordSuccess('acme')).toBe('closed');
    expect(breaker.state('acme')).toBe('closed');
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.failures('acme')).toBe(0);
  });

  it('a failed trial re-opens it for another full cool-down', () => {
    const { breaker, failTimes, advance } = setup(2, 1000);
    failTimes(2);
    advance(1000);
    breaker.isOpen('acme');
    expect(breaker.recordFailure('acme')).toBe('opened');
    advance(999);
    expect(breaker.isOpen('acme')).toBe(true);
    advance(1);
    expect(breaker.isOpen('acme')).toBe(false);
  });

  it('a trial whose result never comes is handed out again after a cool-down', () => {
    const { breaker, failTimes, advance } = setup(2, 1000);
    failTimes(2);
    advance(1000);
    expect(breaker.isOpen('acme')).toBe(false);
    advance(500);
    expect(breaker.isOpen('acme')).toBe(true);
    advance(500);
    expect(breaker.isOpen('acme')).toBe(false);
  });

  it('a success from a request sent before it opened does not close it', () => {
    const { breaker, failTimes } = setup(2);
    failTimes(2);
    expect(breaker.recordSuccess('acme')).toBeNull();
    expect(breaker.isOpen('acme')).toBe(true);
  });

  it('reset closes it at once', () => {
    const { breaker, failTimes } = setup(2);
    failTimes(2);
    breaker.reset('acme');
    expect(breaker.isOpen('acme')).toBe(false);
    expect(breaker.state('acme')).toBe('closed');
  });
});

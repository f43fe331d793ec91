import { stateCode } from '../../shared/us-states.js';

/** A two-letter upper-case code ("TX") from a code in any case or a full name ("texas"); null otherwise. */
export function normaliseState(value: unknown): string | null {
  return stateCode(value);
}

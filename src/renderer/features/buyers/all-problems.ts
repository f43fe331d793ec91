import { api } from '../../api/client.js';
import type { FieldErrors } from './field-errors.js';
import { mergeFieldErrors, toFieldErrors } from './field-errors.js';

/**
 * Every problem of a form in one round. When the form found problems of its own (a timeout that is
 * not a number) it does not save, but still asks the engine what else it would refuse, so the broker
 * fixes everything at once instead of meeting the next problem after each fix.
 */
export async function allProblems(kind: 'campaign' | 'source' | 'buyer', spec: object, local: FieldErrors): Promise<FieldErrors> {
  if (!Object.keys(local).length) return local;
  try {
    const { problems } = await api['config.check']({ kind, spec: { ...spec } });
    return mergeFieldErrors(local, toFieldErrors(problems));
  } catch {
    // The check is a courtesy: without it the form still shows its own problems.
    return local;
  }
}

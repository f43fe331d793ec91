/**
 * Builds a WHERE clause from optional filters. Terms are fixed SQL written in this folder; values are
 * always bound as named parameters, never spliced into the text.
 */
export class SqlFilter {
  readonly terms: string[] = [];
  readonly params: Record<string, unknown>;

  constructor(params: Record<string, unknown> = {}) {
    this.params = { ...params };
  }

  /** Adds `term` with `@name` bound to `value`, unless the value is absent. */
  add(term: string, name: string, value: unknown): this {
    if (value === undefined || value === null || value === '') return this;
    this.terms.push(term);
    this.params[name] = value;
    return this;
  }

  raw(term: string, params: Record<string, unknown>): this {
    this.terms.push(term);
    Object.assign(this.params, params);
    return this;
  }

  where(joiner: 'AND' | 'OR' = 'AND'): string {
    return this.terms.length ? `WHERE ${this.terms.join(` ${joiner} `)}` : '';
  }
}

/**
 * What a start has brought up so far, so that a start that fails half-way, and a normal close,
 * stop exactly what is running: parts close in the reverse of the order they started, each once,
 * and one part failing to close does not keep the others open.
 */
export class StartedParts {
  private readonly parts: Array<{ name: string; stop: () => unknown }> = [];
  private closing: Promise<Error[]> | null = null;

  add(name: string, stop: () => unknown): void {
    this.parts.push({ name, stop });
  }

  /** Resolves with the errors of the parts that failed to close (named), after trying every part. */
  closeAll(): Promise<Error[]> {
    this.closing ??= (async () => {
      const failures: Error[] = [];
      for (const part of this.parts.reverse()) {
        try {
          await part.stop();
        } catch (err) {
          failures.push(new Error(`${part.name} did not close: ${(err as Error).message ?? String(err)}`, { cause: err }));
        }
      }
      return failures;
    })();
    return this.closing;
  }
}

/** Runs `close` at most once; later calls get the first call's promise. */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= close());
}

import type { ConsoleEvents, EventName } from '../../shared/console-api.js';
import type { EventListener } from '../console/console-host.js';

/** The engine's console events: every part emits here, each console transport subscribes. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  readonly emit = <E extends EventName>(name: E, payload: ConsoleEvents[E]): void => {
    for (const l of this.listeners) l(name, payload);
  };

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }
}

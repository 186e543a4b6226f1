/** The dashboard's live updates: one EventSource on `/api/live`, its events handed to whichever page listens. */
import type { z } from 'zod';

export interface LiveUpdates {
  /** Calls `handler` with each `topic` event that `schema` accepts; returns the function that stops listening. */
  on<S extends z.ZodType>(topic: string, schema: S, handler: (data: z.output<S>) => void): () => void;
  /** Whether the stream is open, for the header's indicator. */
  onState(handler: (open: boolean) => void): void;
  close(): void;
}

export function openLiveUpdates(): LiveUpdates {
  const source = new EventSource('/api/live');
  const states: ((open: boolean) => void)[] = [];
  source.addEventListener('ready', () => states.forEach((s) => s(true)));
  source.addEventListener('error', () => states.forEach((s) => s(false)));
  return {
    on(topic, schema, handler) {
      const listener = (event: MessageEvent<string>) => {
        let json: unknown;
        try {
          json = JSON.parse(event.data);
        } catch {
          return;
        }
        const parsed = schema.safeParse(json);
        if (parsed.success) handler(parsed.data);
      };
      source.addEventListener(topic, listener as EventListener);
      return () => source.removeEventListener(topic, listener as EventListener);
    },
    onState: (handler) => void states.push(handler),
    close: () => source.close(),
  };
}

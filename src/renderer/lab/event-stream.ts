import { labApiPaths } from '../../common/lab-api';
import { labEventSchemas, type LabEvent } from '../../common/lab-events';
import { createSseParser, type SseMessage } from './sse-parser';
import type { LabApiClient } from './lab-api-client';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface EventStreamOptions {
  api: LabApiClient;
  /** Called with the events of one network chunk at once, so the UI updates once per chunk. */
  onEvents(events: LabEvent[]): void;
  onStatus?(status: StreamStatus, detail?: string): void;
  signal: AbortSignal;
  fetchImpl?: typeof fetch;
}

/** Turns SSE messages into validated lab events; a message that fails the schema is dropped, not shown half-read. */
export function labEventsOf(messages: SseMessage[]): { events: LabEvent[]; rejected: number } {
  const events: LabEvent[] = [];
  let rejected = 0;
  for (const message of messages) {
    if (message.event !== 'lab' && message.event !== 'message') continue;
    try {
      const parsed = labEventSchemas().labEvent.safeParse(JSON.parse(message.data));
      if (parsed.success) events.push(parsed.data);
      else rejected++;
    } catch {
      rejected++;
    }
  }
  return { events, rejected };
}

/**
 * Reads the lab's event stream with fetch (EventSource cannot send the secret in a header) and
 * reconnects after a drop, resuming with `?since=<last event id>` so nothing is missed or repeated.
 */
export async function runEventStream(options: EventStreamOptions): Promise<void> {
  const { api, signal } = options;
  const fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  let lastEventId: string | undefined;
  let retryMs = 1000;
  let attempt = 0;
  while (!signal.aborted) {
    options.onStatus?.(attempt === 0 ? 'connecting' : 'reconnecting');
    attempt++;
    try {
      const query = lastEventId ? `?since=${encodeURIComponent(lastEventId)}` : '';
      const response = await fetchImpl(api.url(`${labApiPaths.events}${query}`), {
        headers: api.authHeaders({ Accept: 'text/event-stream' }),
        signal,
        cache: 'no-store',
      });
      if (response.status === 401 || response.status === 403) {
        // The secret is stale (the lab restarted with a new one) or this origin is refused: retrying
        // cannot help. Say so, and stop.
        options.onStatus?.(
          'closed',
          `the lab refused the event stream (HTTP ${response.status}); reopen the lab URL`,
        );
        return;
      }
      if (!response.ok || !response.body) throw new Error(`event stream: HTTP ${response.status}`);
      options.onStatus?.('live');
      const parser = createSseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const messages = parser.push(value);
        if (parser.lastEventId) lastEventId = parser.lastEventId;
        if (parser.retryMs !== undefined) retryMs = parser.retryMs;
        if (messages.length > 0) {
          const { events } = labEventsOf(messages);
          if (events.length > 0) options.onEvents(events);
        }
      }
    } catch (e) {
      if (signal.aborted) break;
      options.onStatus?.('reconnecting', e instanceof Error ? e.message : String(e));
    }
    if (signal.aborted) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryMs, 5000)));
  }
  options.onStatus?.('closed');
}

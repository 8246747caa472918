import {
  labApiPaths,
  type ClientExchangeReport,
  type LabClockState,
  type LabSession,
} from '../common/lab-api';
import type { RecordingSummary } from '../common/lab-events';
import { timedFetch } from './timed-fetch';

/**
 * The runner's line to the lab API (src/common/lab-api.ts): one recording per scenario, the lab clock,
 * and the client's own view of every request it sent. The secret travels only in the Authorization
 * header and is never printed.
 */
export class LabConnection {
  private pending: Promise<unknown>[] = [];

  constructor(
    private readonly lab: { readonly origin: string; readonly secret: string },
    private readonly fetchImpl: typeof fetch = timedFetch(),
  ) {}

  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await this.fetchImpl(new URL(path, this.lab.origin), {
      method,
      headers: {
        Authorization: `Bearer ${this.lab.secret}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`lab API ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  session(): Promise<LabSession> {
    return this.call('GET', labApiPaths.session);
  }

  /** Starts a new current recording: everything the provider sees from now on lands in it. */
  async startRecording(name: string): Promise<string> {
    const summary = await this.call<RecordingSummary>('POST', labApiPaths.recordings, { name });
    return summary.id;
  }

  advanceClock(seconds: number): Promise<LabClockState> {
    return this.call('POST', labApiPaths.clock, { advanceSeconds: seconds });
  }

  resetClock(): Promise<LabClockState> {
    return this.call('POST', labApiPaths.clock, { reset: true });
  }

  /** Queues the client's report of an exchange; `flush` waits for every queued one. */
  reportExchange(report: ClientExchangeReport): void {
    this.pending.push(
      this.call('POST', labApiPaths.clientExchanges, report).catch(() => {
        // A lost report only thins the inspector's view; it must not fail the scenario.
      }),
    );
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }
}

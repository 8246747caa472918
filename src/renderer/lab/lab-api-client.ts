import {
  labApiPaths,
  type ClientExchangeReport,
  type LabClockState,
  type LabSession,
} from '../../common/lab-api';
import type { Recording, RecordingSummary } from '../../common/lab-events';

export type ExportFormat = 'json' | 'har' | 'md';

export class LabApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'LabApiError';
  }
}

export interface ExportedFile {
  fileName: string;
  content: string;
  mimeType: string;
}

const mimeTypes: Record<ExportFormat, string> = {
  json: 'application/json',
  har: 'application/json',
  md: 'text/markdown',
};

/** The file name of a Content-Disposition header (RFC 6266), or null. */
export function fileNameFromDisposition(value: string | null): string | null {
  if (!value) return null;
  const star = value.match(/filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = value.match(/filename\s*=\s*"?([^";]+)"?/i);
  return plain?.[1]?.trim() ?? null;
}

/**
 * The lab API, as the UI calls it: same origin as the UI, the secret in `Authorization: Bearer`
 * (never in a URL), JSON both ways.
 */
export class LabApiClient {
  constructor(
    readonly secret: string,
    private readonly base = '',
    private readonly fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
  ) {}

  url(path: string): string {
    return `${this.base}${path}`;
  }

  authHeaders(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.secret}`, ...extra };
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = this.authHeaders((init.headers as Record<string, string> | undefined) ?? {});
    const response = await this.fetchImpl(this.url(path), { ...init, headers });
    if (!response.ok) {
      let message = `${init.method ?? 'GET'} ${path}: HTTP ${response.status}`;
      try {
        const body = (await response.json()) as {
          error?: string;
          error_description?: string;
          message?: string;
        };
        const reason = body.error_description ?? body.message ?? body.error;
        if (reason) message += ` — ${reason}`;
      } catch {
        // not JSON: keep the status line
      }
      throw new LabApiError(message, response.status);
    }
    return response;
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(path, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private postJson<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  session(): Promise<LabSession> {
    return this.json(labApiPaths.session);
  }

  recordings(): Promise<RecordingSummary[]> {
    return this.json(labApiPaths.recordings);
  }

  createRecording(name: string): Promise<RecordingSummary> {
    return this.postJson(labApiPaths.recordings, { name });
  }

  recording(id: string): Promise<Recording> {
    return this.json(labApiPaths.recording(id));
  }

  async exportRecording(id: string, format: ExportFormat): Promise<ExportedFile> {
    const response = await this.request(`${labApiPaths.recordingExport(id)}?format=${format}`);
    const content = await response.text();
    const fileName =
      fileNameFromDisposition(response.headers.get('content-disposition')) ??
      `recording-${id}.${format === 'md' ? 'md' : format}`;
    return { fileName, content, mimeType: response.headers.get('content-type') ?? mimeTypes[format] };
  }

  importRecording(recordingJson: string): Promise<RecordingSummary> {
    return this.json(labApiPaths.recordingImport, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: recordingJson,
    });
  }

  clock(): Promise<LabClockState> {
    return this.json(labApiPaths.clock);
  }

  advanceClock(advanceSeconds: number): Promise<LabClockState> {
    return this.postJson(labApiPaths.clock, { advanceSeconds });
  }

  resetClock(): Promise<LabClockState> {
    return this.postJson(labApiPaths.clock, { reset: true });
  }

  rotateKeys(): Promise<{ kids: string[] }> {
    return this.postJson(labApiPaths.rotateKeys, {});
  }

  async reportClientExchange(report: ClientExchangeReport): Promise<void> {
    await this.request(labApiPaths.clientExchanges, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(report),
    });
  }
}

import { describe, expect, it } from 'vitest';
import { labApiPaths } from '../../../src/common/lab-api';
import { fileNameFromDisposition, LabApiClient, LabApiError } from '../../../src/renderer/lab/lab-api-client';

function recorder(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return respond(String(input), init ?? {});
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('lab API client', () => {
  it('sends the secret as a Bearer token, never in the URL', async () => {
    const r = recorder(() => Response.json({ offsetMs: 61_000, now: 1 }));
    const api = new LabApiClient('the-secret', 'http://127.0.0.1:9', r.fetchImpl);
    await api.advanceClock(61);
    const call = r.calls[0];
    expect(call?.url).toBe(`http://127.0.0.1:9${labApiPaths.clock}`);
    expect(call?.url).not.toContain('the-secret');
    expect((call?.init.headers as Record<string, string>).Authorization).toBe('Bearer the-secret');
    expect(call?.init.method).toBe('POST');
    expect(JSON.parse(String(call?.init.body))).toEqual({ advanceSeconds: 61 });
  });

  it('turns an error answer into a LabApiError with the status and the reason', async () => {
    const r = recorder(() =>
      Response.json({ error: 'unauthorized', error_description: 'bad secret' }, { status: 401 }),
    );
    const api = new LabApiClient('x', '', r.fetchImpl);
    const error = await api.session().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabApiError);
    expect((error as LabApiError).status).toBe(401);
    expect((error as LabApiError).message).toContain('bad secret');
  });

  it('names an export after Content-Disposition, with a fallback', async () => {
    const r = recorder(
      () =>
        new Response('{"log":{}}', {
          headers: {
            'content-disposition': 'attachment; filename="flow.har"',
            'content-type': 'application/json',
          },
        }),
    );
    const file = await new LabApiClient('x', '', r.fetchImpl).exportRecording('rec 1', 'har');
    expect(r.calls[0]?.url).toBe('/lab/api/recordings/rec%201/export?format=har');
    expect(file).toEqual({ fileName: 'flow.har', content: '{"log":{}}', mimeType: 'application/json' });
    const bare = recorder(() => new Response('# md'));
    expect((await new LabApiClient('x', '', bare.fetchImpl).exportRecording('r', 'md')).fileName).toBe(
      'recording-r.md',
    );
  });

  it('parses Content-Disposition file names', () => {
    expect(fileNameFromDisposition('attachment; filename="a b.json"')).toBe('a b.json');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.md")).toBe('résumé.md');
    expect(fileNameFromDisposition('attachment')).toBeNull();
    expect(fileNameFromDisposition(null)).toBeNull();
  });
});

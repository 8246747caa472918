/**
 * A fetch for the demo client that survives a provider which answers CORS on GET but not the
 * preflight a `traceparent` header triggers (Fetch Standard §4.8: a non-safelisted header makes a
 * request non-simple). A GET that fails at the network level is retried once without
 * `traceparent`: the request still reaches the provider, and only the merge of the two views of that
 * one request is lost (the client still reports what it sent).
 */
export function preflightFallbackFetch(
  inner: (input: string, init: RequestInit) => Promise<Response> = (input, init) =>
    globalThis.fetch(input, init),
): (input: string, init: RequestInit) => Promise<Response> {
  return async (input, init) => {
    try {
      return await inner(input, init);
    } catch (e) {
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = { ...((init.headers as Record<string, string> | undefined) ?? {}) };
      const traced = Object.keys(headers).find((k) => k.toLowerCase() === 'traceparent');
      if (!(e instanceof TypeError) || method !== 'GET' || !traced) throw e;
      delete headers[traced];
      return inner(input, { ...init, headers });
    }
  };
}

/**
 * Keeps a browser's front-channel requests in the trace of the flow that caused them. A browser sends
 * no `traceparent`, but it follows redirects the provider gave and presents the `request_uri` a PAR
 * response returned (RFC 9126 §2.2); both are remembered here with their trace id. Bounded.
 */
export interface TraceLinks {
  remember(key: string, traceId: string): void;
  find(key: string): string | undefined;
}

export function createTraceLinks(capacity = 1000): TraceLinks {
  const links = new Map<string, string>();
  return {
    remember(key, traceId) {
      links.delete(key);
      links.set(key, traceId);
      if (links.size > capacity) links.delete(links.keys().next().value as string);
    },
    find: (key) => links.get(key),
  };
}

/** The key under which a redirect target is remembered: its path and query, whatever the origin. */
export function redirectKey(location: string, base: string): string | undefined {
  try {
    const url = new URL(location, base);
    return url.origin === new URL(base).origin ? `${url.pathname}${url.search}` : undefined;
  } catch {
    return undefined;
  }
}

export const requestUriKey = (requestUri: string): string => `request_uri ${requestUri}`;

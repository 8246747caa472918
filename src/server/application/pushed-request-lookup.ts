import type { Client } from '../domain/client';
import { verify, type CheckSpec } from '../domain/check';
import type { PushedRequest } from '../domain/entities';
import { hashHandle } from '../domain/handles';
import { invalidRequestUri } from '../domain/oauth-error';
import type { ProviderContext } from './provider-context';

/** RFC 9126 §2.2: the request_uri prefix this server mints. */
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

const checks = {
  known: {
    id: 'par.request_uri.known',
    description: 'request_uri was issued by this server’s PAR endpoint',
    ref: 'RFC 9126 §4',
  },
  client: {
    id: 'par.request_uri.client',
    description: 'request_uri belongs to the client_id of the authorization request',
    ref: 'RFC 9126 §4 (bound to the client)',
  },
  notExpired: {
    id: 'par.request_uri.not_expired',
    description: 'request_uri has not expired',
    ref: 'RFC 9126 §2.2 (expires_in); FAPI 2.0 SP §5.3.2.2',
  },
  notUsed: {
    id: 'par.request_uri.not_used',
    description: 'request_uri has not been used to complete an authorization already',
    ref: 'RFC 9126 §4 (one-time use); FAPI 2.0 SP §5.3.2.2',
  },
} satisfies Record<string, CheckSpec>;

export { checks as pushedRequestLookupChecks };

/** The pushed request a `request_uri` names, checked for the requesting client (RFC 9126 §4). */
export function findPushedRequest(ctx: ProviderContext, client: Client, requestUri: string): PushedRequest {
  const stored = requestUri.startsWith(REQUEST_URI_PREFIX)
    ? ctx.repositories.pushedRequests.find(hashHandle(requestUri.slice(REQUEST_URI_PREFIX.length)))
    : undefined;
  verify(checks.known, stored !== undefined, () => invalidRequestUri('request_uri is unknown'));
  verify(checks.client, stored.clientId === client.client_id, () =>
    invalidRequestUri('request_uri was issued to another client'),
  );
  verify(checks.notExpired, stored.expiresAt > ctx.clock.now(), () =>
    invalidRequestUri('request_uri has expired'),
  );
  verify(checks.notUsed, stored.consumedAt === undefined, () =>
    invalidRequestUri('request_uri was already used'),
  );
  return stored;
}

/** Consumes it when the authorization completes (RFC 9126 §4); throws when another completion won. */
export function consumePushedRequest(ctx: ProviderContext, requestUriHash: string): void {
  const consumed = ctx.repositories.pushedRequests.consume(requestUriHash, ctx.clock.now());
  verify(checks.notUsed, consumed, () => invalidRequestUri('request_uri was already used'));
}

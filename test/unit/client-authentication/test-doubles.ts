import { createHash } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { Client, ClientDirectory } from '../../../src/server/domain/client';

export { FakeClock, InMemoryReplayCache } from '../../support/fakes';

export function directory(clients: Client[]): ClientDirectory {
  const byId = new Map(clients.map((c) => [c.client_id, c]));
  return { find: (id) => byId.get(id), all: () => clients };
}

/** A Client built by hand, as the provider would resolve it from the lab configuration. */
export function makeClient(options: {
  client_id: string;
  profile?: 'oidc' | 'fapi2';
  method: Client['metadata']['token_endpoint_auth_method'];
  secret?: string;
  jwks?: JSONWebKeySet;
  signingAlg?: Client['metadata']['token_endpoint_auth_signing_alg'];
}): Client {
  const profile = options.profile ?? 'oidc';
  return {
    client_id: options.client_id,
    profile,
    allowedScopes: new Set(['openid']),
    jwks: options.jwks,
    secretDigest: options.secret ? createHash('sha256').update(options.secret).digest() : undefined,
    metadata: {
      client_id: options.client_id,
      redirect_uris: ['https://rp.example.com/cb'],
      post_logout_redirect_uris: [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      scope: 'openid',
      token_endpoint_auth_method: options.method,
      token_endpoint_auth_signing_alg: options.signingAlg,
      jwks: options.jwks as Client['metadata']['jwks'],
      require_pushed_authorization_requests: false,
      dpop_bound_access_tokens: false,
      application_type: 'web',
      profile,
    },
  };
}

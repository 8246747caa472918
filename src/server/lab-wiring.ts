import type { JWK } from 'jose';
import type { LabClientInfo } from '../common/lab-api';
import type { LabClientKeyStore, KeyStore } from './application/ports';
import type { LabConfig } from './config/lab-config-schema';
import type { ClientDirectory } from './domain/client';
import { requiresPushedAuthorizationRequest } from './domain/fapi-policy';
import { signatureKeyNames } from './domain/signature-key-names';
import type { ResolveJwtKey } from './lab';

/** What the lab UI needs to act as each configured client (demo secrets, lab-generated private keys). */
export function labClientInfos(config: LabConfig, labKeys: LabClientKeyStore): LabClientInfo[] {
  return config.clients.map((c) => {
    // The key of its registered token_endpoint_auth_signing_alg first (OIDC Dynamic Client Registration
    // §2; the provider refuses assertions signed otherwise): the first key is the one that signs.
    const signingAlg = c.token_endpoint_auth_signing_alg;
    const privateJwks = [...labKeys.privateJwks(c.client_id)].sort(
      (a, b) => Number(b.alg === signingAlg) - Number(a.alg === signingAlg),
    );
    return {
      client_id: c.client_id,
      client_name: c.client_name,
      profile: c.profile,
      token_endpoint_auth_method: c.token_endpoint_auth_method,
      redirect_uris: c.redirect_uris,
      post_logout_redirect_uris: c.post_logout_redirect_uris,
      scope: c.scope,
      grant_types: c.grant_types,
      dpop_bound_access_tokens: c.dpop_bound_access_tokens,
      // What the provider requires of it: its own registration, or the setting for every client.
      require_pushed_authorization_requests: requiresPushedAuthorizationRequest(
        { metadata: c, profile: c.profile },
        config.server,
      ),
      client_secret: c.client_secret,
      private_jwks: privateJwks.length > 0 ? privateJwks : undefined,
    };
  });
}

/**
 * How the inspector verifies a JWT it shows: the provider's tokens with its published keys, client
 * assertions with the client's registered keys, DPoP proofs with their embedded key.
 */
export function labJwtKeyResolver(keys: KeyStore, clients: ClientDirectory): ResolveJwtKey {
  return async ({ header, payload, kind }) => {
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    if (kind === 'dpop_proof') {
      const jwk = header.jwk as JWK | undefined;
      return jwk ? { key: jwk, name: 'embedded jwk' } : undefined;
    }
    if (kind === 'client_assertion') {
      const clientId = typeof payload.iss === 'string' ? payload.iss : undefined;
      const client = clientId ? clients.find(clientId) : undefined;
      const candidates = (client?.jwks?.keys ?? []) as JWK[];
      const jwk = candidates.find((k) => kid === undefined || k.kid === kid);
      return jwk && client
        ? { key: jwk, name: signatureKeyNames.client(client.client_id, jwk.kid) }
        : undefined;
    }
    const key = kid ? keys.verificationKey(kid) : undefined;
    return key && kid ? { key, name: signatureKeyNames.server(kid) } : undefined;
  };
}

import type { JWK } from 'jose';
import { clientAssertionType, createClientAssertion } from './client-assertion';
import type { ClientClock } from './clock';
import type { SigningAlg } from './jws-sign';
import type { ClaimOverrides } from './overrides';

/** How the client authenticates at the token, PAR, introspection and revocation endpoints. */
export type ClientAuthentication =
  | { method: 'client_secret_basic'; client_secret: string }
  | { method: 'client_secret_post'; client_secret: string }
  | {
      method: 'private_key_jwt';
      /** The client's private keys; the first one whose `alg` matches (or the first) signs. */
      private_jwks?: JWK[];
      privateJwk?: JWK;
      key?: CryptoKey;
      alg?: SigningAlg;
      kid?: string;
      /** Forge the assertion (scenarios): array `aud`, expired `exp`, reused `jti`… */
      headerOverrides?: ClaimOverrides;
      payloadOverrides?: ClaimOverrides;
      /** The `aud`; the issuer by default (FAPI 2.0 SP §5.3.2.1). */
      audience?: string;
    }
  | { method: 'none' };

export type TokenEndpointAuthMethod = ClientAuthentication['method'];

/** RFC 6749 §2.3.1 / Appendix B: id and secret are form-urlencoded before the Basic encoding. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/** The `Authorization: Basic …` value of client_secret_basic (RFC 6749 §2.3.1). */
export function basicCredentials(clientId: string, secret: string): string {
  const pair = `${formEncode(clientId)}:${formEncode(secret)}`;
  const bytes = new TextEncoder().encode(pair);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function pickPrivateJwk(auth: Extract<ClientAuthentication, { method: 'private_key_jwt' }>): JWK | undefined {
  if (auth.privateJwk) return auth.privateJwk;
  const keys = auth.private_jwks ?? [];
  return keys.find((key) => auth.alg === undefined || key.alg === auth.alg) ?? keys[0];
}

/**
 * Adds the client's credentials to a request body and headers, in place:
 * - client_secret_basic: `Authorization: Basic` (RFC 6749 §2.3.1);
 * - client_secret_post: `client_id` and `client_secret` in the body (RFC 6749 §2.3.1);
 * - private_key_jwt: `client_assertion_type` + `client_assertion` (RFC 7523 §2.2, OIDC Core §9),
 *   and `client_id` (RFC 9126 §2.1 and FAPI servers expect it);
 * - none: only `client_id` (public client, RFC 6749 §2.1).
 */
export async function applyClientAuthentication(
  auth: ClientAuthentication,
  target: { body: URLSearchParams; headers: Record<string, string> },
  context: { clientId: string; issuer: string; clock?: ClientClock },
): Promise<void> {
  const { body, headers } = target;
  switch (auth.method) {
    case 'client_secret_basic':
      // The body keeps a `client_id` that is an authorization request parameter (PAR).
      headers.Authorization = basicCredentials(context.clientId, auth.client_secret);
      return;
    case 'client_secret_post':
      body.set('client_id', context.clientId);
      body.set('client_secret', auth.client_secret);
      return;
    case 'private_key_jwt': {
      const privateJwk = pickPrivateJwk(auth);
      const assertion = await createClientAssertion({
        clientId: context.clientId,
        audience: auth.audience ?? context.issuer,
        privateJwk,
        key: auth.key,
        alg: auth.alg ?? (privateJwk?.alg as SigningAlg | undefined),
        kid: auth.kid,
        clock: context.clock,
        headerOverrides: auth.headerOverrides,
        payloadOverrides: auth.payloadOverrides,
      });
      body.set('client_id', context.clientId);
      body.set('client_assertion_type', clientAssertionType);
      body.set('client_assertion', assertion);
      return;
    }
    case 'none':
      body.set('client_id', context.clientId);
      return;
  }
}

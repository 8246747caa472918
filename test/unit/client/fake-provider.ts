import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK } from 'jose';
import { codeChallengeS256 } from '../../../src/client/pkce';
import type { FetchLike } from '../../../src/client/http';

/** One request as the fake provider received it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: URLSearchParams;
  /** The fetch's cache mode, when the client set one. */
  cache?: RequestCache;
}

export interface FakeProviderOptions {
  issuer?: string;
  /** What discovery says `issuer` is (to test the exact-match rule). */
  advertisedIssuer?: string;
  issParameterSupported?: boolean;
  /** Demand a DPoP nonce at the token endpoint once (RFC 9449 §8). */
  dpopNonce?: string;
  tokenType?: string;
  /** Change the ID token claims before signing. */
  idTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** When set, refresh responses carry an ID token too, with these changes to its claims. */
  refreshIdTokenClaims?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Sign ID tokens with a key that is not in the JWKS. */
  signWithUnknownKey?: boolean;
  /** The `kid` written in ID token headers (default: the published key's). */
  idTokenKid?: string;
  /** Send ID tokens unsecured (RFC 7519 §6: `alg` none, no signature). */
  unsecuredIdToken?: boolean;
  /** Answer the code grant without an ID token, though openid was asked for. */
  withoutIdToken?: boolean;
}

/**
 * A tiny in-memory OpenID provider behind a fake fetch: enough of discovery, JWKS, PAR, token,
 * userinfo, introspection and revocation to drive the demo client, recording every request.
 */
export async function createFakeProvider(options: FakeProviderOptions = {}) {
  const issuer = options.issuer ?? 'https://op.example';
  const signing = await generateKeyPair('ES256', { extractable: true });
  const rogue = await generateKeyPair('ES256');
  const publicJwk: JWK = {
    ...(await exportJWK(signing.publicKey)),
    kid: 'op-key-1',
    alg: 'ES256',
    use: 'sig',
  };
  const seen: SeenRequest[] = [];
  const pushed = new Map<string, URLSearchParams>();
  let lastAuthorization: URLSearchParams | undefined;
  let nonceDemanded = false;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

  const metadata = {
    issuer: options.advertisedIssuer ?? issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    pushed_authorization_request_endpoint: `${issuer}/par`,
    userinfo_endpoint: `${issuer}/userinfo`,
    introspection_endpoint: `${issuer}/introspect`,
    revocation_endpoint: `${issuer}/revoke`,
    end_session_endpoint: `${issuer}/logout`,
    jwks_uri: `${issuer}/jwks`,
    authorization_response_iss_parameter_supported: options.issParameterSupported ?? true,
    code_challenge_methods_supported: ['S256'],
  };

  async function idToken(
    clientId: string,
    nonce: string | null,
    change = options.idTokenClaims,
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    let claims: Record<string, unknown> = {
      iss: issuer,
      sub: 'alice',
      aud: clientId,
      iat: now,
      exp: now + 300,
    };
    if (nonce) claims.nonce = nonce;
    if (change) claims = change(claims);
    if (options.unsecuredIdToken) return new UnsecuredJWT(claims).encode();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: options.idTokenKid ?? 'op-key-1' })
      .sign(options.signWithUnknownKey ? rogue.privateKey : signing.privateKey);
  }

  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const body = new URLSearchParams(typeof init.body === 'string' ? init.body : '');
    seen.push({
      method: init.method ?? 'GET',
      url,
      headers,
      body,
      ...(init.cache ? { cache: init.cache } : {}),
    });
    switch (url.pathname) {
      case '/.well-known/openid-configuration':
        return json(200, metadata);
      case '/jwks':
        return json(200, { keys: [publicJwk] });
      case '/par': {
        const request_uri = `urn:ietf:params:oauth:request_uri:${pushed.size + 1}`;
        pushed.set(request_uri, body);
        return json(201, { request_uri, expires_in: 60 });
      }
      case '/token': {
        if (options.dpopNonce && !nonceDemanded) {
          nonceDemanded = true;
          return json(
            400,
            { error: 'use_dpop_nonce', error_description: 'nonce required' },
            { 'DPoP-Nonce': options.dpopNonce },
          );
        }
        const authorization = lastAuthorization;
        const clientId = body.get('client_id') ?? authorization?.get('client_id') ?? 'unknown';
        if (body.get('grant_type') === 'authorization_code') {
          const challenge = authorization?.get('code_challenge');
          if (!challenge || (await codeChallengeS256(body.get('code_verifier') ?? '')) !== challenge) {
            return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
          }
        }
        // The code grant's ID token (unless left out); a refresh's only when the test asks for one.
        let id_token: string | undefined;
        if (body.get('grant_type') === 'authorization_code') {
          if (!options.withoutIdToken)
            id_token = await idToken(clientId, authorization?.get('nonce') ?? null);
        } else if (options.refreshIdTokenClaims) {
          id_token = await idToken(clientId, null, options.refreshIdTokenClaims);
        }
        return json(200, {
          access_token: 'at-' + seen.length,
          token_type: options.tokenType ?? (headers.has('dpop') ? 'DPoP' : 'Bearer'),
          expires_in: 600,
          refresh_token: 'rt-1',
          id_token,
        });
      }
      case '/userinfo':
        return json(200, { sub: 'alice' });
      case '/introspect':
        return json(200, { active: true, client_id: 'c' });
      case '/revoke':
        return new Response(null, { status: 200 });
      default:
        return json(404, { error: 'not_found' });
    }
  };

  return {
    issuer,
    fetch,
    seen,
    pushed,
    publicJwk,
    /** The standard flow sends its parameters in the front channel; the fake learns them here. */
    authorize(url: string) {
      const params = new URL(url).searchParams;
      const request_uri = params.get('request_uri');
      lastAuthorization = request_uri ? pushed.get(request_uri) : params;
    },
    callbackFor(state: string, redirectUri: string, extra: Record<string, string> = {}) {
      const callback = new URL(redirectUri);
      callback.searchParams.set('code', 'code-1');
      callback.searchParams.set('state', state);
      callback.searchParams.set('iss', issuer);
      for (const [name, value] of Object.entries(extra)) callback.searchParams.set(name, value);
      return callback.href;
    },
    last(path: string): SeenRequest {
      const found = seen.filter((request) => request.url.pathname === path).at(-1);
      if (!found) throw new Error(`no request to ${path}`);
      return found;
    },
  };
}

export type FakeProvider = Awaited<ReturnType<typeof createFakeProvider>>;

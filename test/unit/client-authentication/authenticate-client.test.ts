import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withCheckObserver, type CheckResult } from '../../../src/server/domain/check';
import type { Client } from '../../../src/server/domain/client';
import { OAuthError } from '../../../src/server/domain/oauth-error';
import {
  JWT_BEARER_ASSERTION_TYPE,
  authenticateClient,
  type ClientAuthenticationContext,
  type ClientAuthenticationRequest,
} from '../../../src/server/infrastructure/client-authentication';
import { FakeClock, InMemoryReplayCache, directory, makeClient } from './test-doubles';

const ISSUER = 'https://as.example.com';
const TOKEN_URL = `${ISSUER}/token`;
const PAR_URL = `${ISSUER}/par`;
const NOW = 1_800_000_000;
const SECRET = 'a-long-enough-client-secret-value';

interface KeyPair {
  privateKey: CryptoKey;
  jwk: JWK;
}
let es256: KeyPair;
let ps256: KeyPair;
let rs256: KeyPair;
let stranger: KeyPair;
let clients: Record<'basic' | 'post' | 'publicClient' | 'oidcJwt' | 'fapi' | 'fapiPinned', Client>;

async function keyPair(alg: string, kid: string): Promise<KeyPair> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid } };
}

beforeAll(async () => {
  [es256, ps256, rs256, stranger] = await Promise.all([
    keyPair('ES256', 'es'),
    keyPair('PS256', 'ps'),
    keyPair('RS256', 'rs'),
    keyPair('ES256', 'es'),
  ]);
  clients = {
    basic: makeClient({ client_id: 'basic client', method: 'client_secret_basic', secret: SECRET }),
    post: makeClient({ client_id: 'post-client', method: 'client_secret_post', secret: SECRET }),
    publicClient: makeClient({ client_id: 'public-client', method: 'none' }),
    oidcJwt: makeClient({
      client_id: 'oidc-jwt',
      method: 'private_key_jwt',
      jwks: { keys: [rs256.jwk, es256.jwk] },
    }),
    fapi: makeClient({
      client_id: 'fapi-client',
      profile: 'fapi2',
      method: 'private_key_jwt',
      jwks: { keys: [es256.jwk, ps256.jwk, rs256.jwk] },
    }),
    fapiPinned: makeClient({
      client_id: 'fapi-pinned',
      profile: 'fapi2',
      method: 'private_key_jwt',
      signingAlg: 'PS256',
      jwks: { keys: [es256.jwk, ps256.jwk] },
    }),
  };
});

let clock: FakeClock;
let replayCache: InMemoryReplayCache;

beforeEach(() => {
  clock = new FakeClock(NOW * 1000);
  replayCache = new InMemoryReplayCache(clock);
});

function context(overrides: Partial<ClientAuthenticationContext> = {}): ClientAuthenticationContext {
  return {
    clients: directory(Object.values(clients)),
    issuer: ISSUER,
    endpoint: 'token',
    endpointUrl: TOKEN_URL,
    clock,
    replayCache,
    ...overrides,
  };
}

async function assertion(
  clientId: string,
  options: {
    claims?: Record<string, unknown>;
    omit?: string[];
    key?: KeyPair;
    alg?: string;
    kid?: string | null;
  } = {},
): Promise<string> {
  const key = options.key ?? es256;
  const claims: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: ISSUER,
    jti: randomUUID(),
    iat: NOW,
    exp: NOW + 60,
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const kid = options.kid === null ? undefined : (options.kid ?? key.jwk.kid);
  return new SignJWT(claims)
    .setProtectedHeader({
      alg: options.alg ?? (key === es256 || key === stranger ? 'ES256' : key === ps256 ? 'PS256' : 'RS256'),
      kid,
    })
    .sign(key.privateKey);
}

const jwtRequest = (jwt: string, extra: Record<string, unknown> = {}): ClientAuthenticationRequest => ({
  headers: {},
  body: { client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: jwt, ...extra },
});

const basicHeader = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id).replace(/%20/g, '+')}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function rejection(
  request: ClientAuthenticationRequest,
  ctx = context(),
): Promise<{ error: OAuthError; failed: string[] }> {
  const results: CheckResult[] = [];
  try {
    await withCheckObserver({ record: (r) => results.push(r) }, () => authenticateClient(request, ctx));
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return { error: e as OAuthError, failed: results.filter((r) => r.outcome === 'failed').map((r) => r.id) };
  }
  throw new Error('expected authentication to fail');
}

/** Expects 401 invalid_client, with `checkId` as the one failed check. */
async function expectInvalidClient(request: ClientAuthenticationRequest, checkId: string, ctx = context()) {
  const { error, failed } = await rejection(request, ctx);
  expect(error.error).toBe('invalid_client');
  expect(error.status).toBe(401);
  expect(failed).toEqual([checkId]);
  return error;
}

describe('authenticateClient: successes', () => {
  it('client_secret_basic, with form-urlencoded id and secret', async () => {
    const result = await authenticateClient(
      { headers: { authorization: basicHeader('basic client', SECRET) }, body: {} },
      context(),
    );
    expect(result.client.client_id).toBe('basic client');
    expect(result.method).toBe('client_secret_basic');
  });

  it('client_secret_basic with an empty client_id in the body, which counts as omitted (RFC 6749 §3.1)', async () => {
    const result = await authenticateClient(
      { headers: { authorization: basicHeader('basic client', SECRET) }, body: { client_id: '' } },
      context(),
    );
    expect(result.client.client_id).toBe('basic client');
    expect(result.method).toBe('client_secret_basic');
  });

  it('client_secret_basic with the same client_id in the body', async () => {
    const result = await authenticateClient(
      {
        headers: { authorization: basicHeader('basic client', SECRET) },
        body: { client_id: 'basic client' },
      },
      context(),
    );
    expect(result.method).toBe('client_secret_basic');
  });

  it('client_secret_post', async () => {
    const result = await authenticateClient(
      { headers: {}, body: { client_id: 'post-client', client_secret: SECRET } },
      context(),
    );
    expect(result).toEqual({ client: clients.post, method: 'client_secret_post' });
  });

  it('none, for a public client', async () => {
    const result = await authenticateClient({ headers: {}, body: { client_id: 'public-client' } }, context());
    expect(result.method).toBe('none');
  });

  it('private_key_jwt under fapi2 (ES256 and PS256), returning the verified assertion', async () => {
    const results: CheckResult[] = [];
    const jwt = await assertion('fapi-client');
    const result = await withCheckObserver({ record: (r) => results.push(r) }, () =>
      authenticateClient(jwtRequest(jwt), context()),
    );
    expect(result.method).toBe('private_key_jwt');
    expect(result.client.client_id).toBe('fapi-client');
    expect(result.assertion?.header.alg).toBe('ES256');
    expect(result.assertion?.payload.sub).toBe('fapi-client');
    expect(result.assertion?.kid).toBe('es');
    expect(results.every((r) => r.outcome !== 'failed')).toBe(true);
    expect(results.map((r) => r.id)).toContain('client_assertion.jti');

    const ps = await authenticateClient(
      jwtRequest(await assertion('fapi-client', { key: ps256 })),
      context(),
    );
    expect(ps.assertion?.kid).toBe('ps');
  });

  it('private_key_jwt with a matching client_id parameter, and without kid (tries the keys)', async () => {
    const jwt = await assertion('fapi-client', { key: ps256, kid: null });
    const result = await authenticateClient(jwtRequest(jwt, { client_id: 'fapi-client' }), context());
    expect(result.assertion?.kid).toBe('ps');
  });

  it('private_key_jwt under oidc: RS256, aud the token endpoint URL, aud an array', async () => {
    const rs = await assertion('oidc-jwt', { key: rs256, claims: { aud: TOKEN_URL } });
    expect((await authenticateClient(jwtRequest(rs), context())).client.client_id).toBe('oidc-jwt');
    const arr = await assertion('oidc-jwt', { claims: { aud: ['https://other.example.com', ISSUER] } });
    expect((await authenticateClient(jwtRequest(arr), context())).method).toBe('private_key_jwt');
  });

  it('accepts nbf and iat 10 s in the future', async () => {
    const jwt = await assertion('fapi-client', { claims: { nbf: NOW + 10, iat: NOW + 10 } });
    expect((await authenticateClient(jwtRequest(jwt), context())).method).toBe('private_key_jwt');
  });
});

describe('authenticateClient: request shape', () => {
  it('refuses two methods at once with invalid_request', async () => {
    const { error, failed } = await rejection({
      headers: { authorization: basicHeader('post-client', SECRET) },
      body: { client_id: 'post-client', client_secret: SECRET },
    });
    expect(error.error).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(failed).toEqual(['client_auth.single_method']);
  });

  it('refuses a secret together with an assertion', async () => {
    const jwt = await assertion('fapi-client');
    const { error, failed } = await rejection(
      jwtRequest(jwt, { client_id: 'fapi-client', client_secret: SECRET }),
    );
    expect(error.error).toBe('invalid_request');
    expect(failed).toEqual(['client_auth.single_method']);
  });

  it('refuses a repeated parameter with invalid_request', async () => {
    const { error, failed } = await rejection({
      headers: {},
      body: { client_id: ['post-client', 'post-client'], client_secret: SECRET },
    });
    expect(error.error).toBe('invalid_request');
    expect(failed).toEqual(['client_auth.parameters_not_repeated']);
  });

  it('refuses a request without any client', async () => {
    await expectInvalidClient({ headers: {}, body: {} }, 'client_auth.present');
  });

  it('refuses client_secret without client_id', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_secret: SECRET } },
      'client_auth.post_well_formed',
    );
  });

  it('refuses an unknown client', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'nobody', client_secret: SECRET } },
      'client_auth.client_known',
    );
  });
});

describe('authenticateClient: secrets', () => {
  it('refuses a wrong Basic secret with a Basic challenge', async () => {
    const error = await expectInvalidClient(
      { headers: { authorization: basicHeader('basic client', `${SECRET}x`) }, body: {} },
      'client_auth.secret',
    );
    expect(error.headers['WWW-Authenticate']).toMatch(/^Basic /);
  });

  it('refuses malformed Basic credentials with a Basic challenge', async () => {
    const error = await expectInvalidClient(
      { headers: { authorization: 'Basic !!!' }, body: {} },
      'client_auth.basic_well_formed',
    );
    expect(error.headers['WWW-Authenticate']).toMatch(/^Basic /);
    await expectInvalidClient(
      { headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, body: {} },
      'client_auth.basic_well_formed',
    );
    await expectInvalidClient(
      { headers: { authorization: `Basic ${Buffer.from('a%zz:b').toString('base64')}` }, body: {} },
      'client_auth.basic_well_formed',
    );
  });

  it('refuses Basic credentials whose id is not form-decoded (a raw space is not +)', async () => {
    const raw = `Basic ${Buffer.from(`basic%2Bclient:${SECRET}`).toString('base64')}`;
    await expectInvalidClient({ headers: { authorization: raw }, body: {} }, 'client_auth.client_known');
  });

  it('refuses a wrong client_secret_post secret, without a Basic challenge', async () => {
    const error = await expectInvalidClient(
      { headers: {}, body: { client_id: 'post-client', client_secret: 'wrong' } },
      'client_auth.secret',
    );
    expect(error.headers['WWW-Authenticate']).toBeUndefined();
  });

  it('refuses a body client_id that differs from the Basic one', async () => {
    await expectInvalidClient(
      { headers: { authorization: basicHeader('basic client', SECRET) }, body: { client_id: 'post-client' } },
      'client_auth.client_id_consistent',
    );
  });

  it('refuses a method other than the registered one (post for a basic client)', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'basic client', client_secret: SECRET } },
      'client_auth.method_registered',
    );
  });

  it('refuses a secret for a private_key_jwt client', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'fapi-client', client_secret: SECRET } },
      'client_auth.method_registered',
    );
  });

  it('refuses none for a confidential client', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'post-client' } },
      'client_auth.method_registered',
    );
  });

  it('refuses none at the introspection endpoint', async () => {
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'public-client' } },
      'client_auth.method_allowed',
      context({ endpoint: 'introspection' }),
    );
  });

  it('refuses client_secret_* for a fapi2 client even if registered so', async () => {
    const legacy = makeClient({
      client_id: 'fapi-legacy',
      profile: 'fapi2',
      method: 'client_secret_post',
      secret: SECRET,
    });
    await expectInvalidClient(
      { headers: {}, body: { client_id: 'fapi-legacy', client_secret: SECRET } },
      'client_auth.method_allowed',
      context({ clients: directory([legacy]) }),
    );
  });
});

describe('authenticateClient: client assertion rules', () => {
  it('refuses a wrong client_assertion_type', async () => {
    const jwt = await assertion('fapi-client');
    await expectInvalidClient(
      jwtRequest(jwt, { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
      'client_assertion.type',
    );
  });

  it('refuses an assertion that is not a JWT', async () => {
    await expectInvalidClient(jwtRequest('abc.def'), 'client_assertion.well_formed');
  });

  it('refuses an assertion whose sub names no client', async () => {
    await expectInvalidClient(jwtRequest(await assertion('nobody')), 'client_auth.client_known');
  });

  it('refuses RS256 under fapi2', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { key: rs256 })),
      'client_assertion.alg',
    );
  });

  it('refuses HS256', async () => {
    const jwt = await new SignJWT({
      iss: 'fapi-client',
      sub: 'fapi-client',
      aud: ISSUER,
      jti: 'j',
      exp: NOW + 60,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    await expectInvalidClient(jwtRequest(jwt), 'client_assertion.alg');
  });

  it('refuses alg none', async () => {
    const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const jwt = `${enc({ alg: 'none' })}.${enc({ iss: 'oidc-jwt', sub: 'oidc-jwt', aud: ISSUER, jti: 'j', exp: NOW + 60 })}.`;
    await expectInvalidClient(jwtRequest(jwt), 'client_assertion.alg');
  });

  it('refuses an alg other than the registered token_endpoint_auth_signing_alg', async () => {
    await expectInvalidClient(jwtRequest(await assertion('fapi-pinned')), 'client_assertion.alg');
    expect(
      (await authenticateClient(jwtRequest(await assertion('fapi-pinned', { key: ps256 })), context()))
        .method,
    ).toBe('private_key_jwt');
  });

  it('refuses an unknown kid', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { kid: 'unknown' })),
      'client_assertion.signature',
    );
  });

  it('refuses a signature by a key that is not registered (same kid)', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { key: stranger })),
      'client_assertion.signature',
    );
  });

  it('refuses an unregistered key without kid', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { key: stranger, kid: null })),
      'client_assertion.signature',
    );
  });

  it('refuses iss different from sub', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { iss: 'someone-else' } })),
      'client_assertion.iss_sub',
    );
  });

  it('refuses a client_id parameter that differs from the assertion (RFC 7521 §4.2), before its keys', async () => {
    const jwt = await assertion('oidc-jwt');
    await expectInvalidClient(
      jwtRequest(jwt, { client_id: 'fapi-client' }),
      'client_auth.client_id_consistent',
    );
  });

  it('refuses a wrong aud', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { aud: 'https://other.example.com' } })),
      'client_assertion.aud',
    );
    await expectInvalidClient(
      jwtRequest(await assertion('oidc-jwt', { claims: { aud: 'https://other.example.com' } })),
      'client_assertion.aud',
    );
  });

  it('refuses, under fapi2, an aud array even holding the issuer', async () => {
    const error = await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { aud: [ISSUER] } })),
      'client_assertion.aud',
    );
    expect(error.error_description).toMatch(/single string/);
  });

  it('refuses, under fapi2, the token endpoint URL and the PAR URL as aud', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { aud: TOKEN_URL } })),
      'client_assertion.aud',
    );
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { aud: PAR_URL } })),
      'client_assertion.aud',
      context({ endpoint: 'pushed_authorization_request', endpointUrl: PAR_URL }),
    );
  });

  it('refuses an expired assertion and one without exp', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { exp: NOW - 1 } })),
      'client_assertion.exp',
    );
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { omit: ['exp'] })),
      'client_assertion.exp',
    );
  });

  it('refuses an assertion whose exp is more than 5 minutes ahead, and accepts one just inside', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { exp: NOW + 301 } })),
      'client_assertion.exp_bounded',
    );
    const accepted = await authenticateClient(
      jwtRequest(await assertion('fapi-client', { claims: { exp: NOW + 300 } })),
      context(),
    );
    expect(accepted.client.client_id).toBe('fapi-client');
  });

  it('refuses nbf 61 s and 11 s in the future', async () => {
    for (const offset of [61, 11]) {
      await expectInvalidClient(
        jwtRequest(await assertion('fapi-client', { claims: { nbf: NOW + offset } })),
        'client_assertion.nbf',
      );
    }
  });

  it('refuses iat 61 s in the future', async () => {
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { iat: NOW + 61 } })),
      'client_assertion.iat',
    );
  });

  it('refuses a reused jti, and one without jti', async () => {
    const jwt = await assertion('fapi-client');
    await authenticateClient(jwtRequest(jwt), context());
    const error = await expectInvalidClient(jwtRequest(jwt), 'client_assertion.jti');
    expect(error.error_description).toMatch(/already been used/);
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { omit: ['jti'] })),
      'client_assertion.jti',
    );
  });

  it('does not use up the jti of an assertion refused for another reason', async () => {
    const jti = 'kept';
    await expectInvalidClient(
      jwtRequest(await assertion('fapi-client', { claims: { jti, aud: TOKEN_URL } })),
      'client_assertion.aud',
    );
    expect(
      (await authenticateClient(jwtRequest(await assertion('fapi-client', { claims: { jti } })), context()))
        .method,
    ).toBe('private_key_jwt');
  });

  it('charges the assertion jti to its client in the replay cache (its share, not the others)', async () => {
    const charged: string[] = [];
    const counting = {
      remember: (namespace: string, jti: string, expiresAt: number, clientId: string) => {
        charged.push(clientId);
        return replayCache.remember(namespace, jti, expiresAt);
      },
    };
    await authenticateClient(jwtRequest(await assertion('fapi-client')), context({ replayCache: counting }));
    expect(charged).toEqual(['fapi-client']);
  });

  it('fails closed with 503 temporarily_unavailable when the replay cache is full', async () => {
    const { error, failed } = await rejection(
      jwtRequest(await assertion('fapi-client')),
      context({ replayCache: new InMemoryReplayCache(clock, 0) }),
    );
    expect(error.error).toBe('temporarily_unavailable');
    expect(error.status).toBe(503);
    expect(failed).toEqual(['client_assertion.jti']);
  });
});

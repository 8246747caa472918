import type { BenchClient } from './bench-client';
import type { PreparedRequest } from './closed-loop';
import type { Es256Key } from './compact-jws';
import { mintAuthorizationCodes } from './mint-codes';
import { clientAssertion, dpopProof } from './proofs';

/** What the scenarios share: the server, the client the generator plays, and tokens got beforehand. */
export interface ScenarioContext {
  readonly issuer: string;
  readonly dataDir: string;
  readonly client: BenchClient;
  /** The DPoP key every token of the run is bound to. */
  readonly dpopKey: Es256Key;
  /** A DPoP-bound access token for the bench user (scope openid accounts). */
  readonly userAccessToken: string;
  /** A DPoP-bound client_credentials access token (scope accounts). */
  readonly clientAccessToken: string;
  readonly codeLifetimeSeconds: number;
}

export type ScenarioName =
  | 'discovery'
  | 'jwks'
  | 'client_credentials'
  | 'authorization_code'
  | 'introspection'
  | 'userinfo'
  | 'resource_api';

export interface Scenario {
  readonly name: ScenarioName;
  readonly description: string;
  /** A token-endpoint scenario: reported as a fraction of the crypto limit. */
  readonly tokenRequest: boolean;
  /** Each request carries its own signed JWTs (made before the window). */
  readonly signed: boolean;
  /** The requests for one window, each with its own `jti`s; made before the window starts. */
  prepare(ctx: ScenarioContext, count: number): PreparedRequest[];
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

const get = (path: string): PreparedRequest => ({
  method: 'GET',
  path,
  headers: { accept: 'application/json' },
});

/** RFC 7523 §2.2: the client_assertion parameters of private_key_jwt. */
const assertionFields = (ctx: ScenarioContext) => ({
  client_id: ctx.client.clientId,
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: clientAssertion(ctx.client.clientId, ctx.client.kid, ctx.issuer, ctx.client.key),
});

const times = <T>(count: number, make: (i: number) => T): T[] =>
  Array.from({ length: count }, (_, i) => make(i));

export const scenarios: readonly Scenario[] = [
  {
    name: 'discovery',
    description: 'GET /.well-known/openid-configuration',
    tokenRequest: false,
    signed: false,
    prepare: (_ctx, count) => times(count, () => get('/.well-known/openid-configuration')),
  },
  {
    name: 'jwks',
    description: 'GET /jwks',
    tokenRequest: false,
    signed: false,
    prepare: (_ctx, count) => times(count, () => get('/jwks')),
  },
  {
    name: 'client_credentials',
    description: 'POST /token client_credentials, private_key_jwt (ES256) + DPoP (ES256)',
    tokenRequest: true,
    signed: true,
    prepare: (ctx, count) =>
      times(count, () => ({
        method: 'POST',
        path: '/token',
        headers: { 'content-type': FORM, dpop: dpopProof(ctx.dpopKey, 'POST', `${ctx.issuer}/token`) },
        body: form({ grant_type: 'client_credentials', scope: 'accounts', ...assertionFields(ctx) }),
      })),
  },
  {
    name: 'authorization_code',
    description: 'POST /token authorization_code + PKCE, private_key_jwt + DPoP (codes minted beforehand)',
    tokenRequest: true,
    signed: true,
    prepare: (ctx, count) =>
      mintAuthorizationCodes(ctx.dataDir, ctx.client, count, ctx.codeLifetimeSeconds).map((minted) => ({
        method: 'POST',
        path: '/token',
        headers: { 'content-type': FORM, dpop: dpopProof(ctx.dpopKey, 'POST', `${ctx.issuer}/token`) },
        body: form({
          grant_type: 'authorization_code',
          code: minted.code,
          code_verifier: minted.code_verifier,
          redirect_uri: ctx.client.redirectUri,
          ...assertionFields(ctx),
        }),
      })),
  },
  {
    name: 'introspection',
    description: 'POST /introspect, private_key_jwt',
    tokenRequest: false,
    signed: true,
    prepare: (ctx, count) =>
      times(count, () => ({
        method: 'POST',
        path: '/introspect',
        headers: { 'content-type': FORM, accept: 'application/json' },
        body: form({ token: ctx.clientAccessToken, ...assertionFields(ctx) }),
      })),
  },
  {
    name: 'userinfo',
    description: 'GET /userinfo, DPoP-bound token, proof with ath',
    tokenRequest: false,
    signed: true,
    prepare: (ctx, count) =>
      times(count, () => ({
        method: 'GET',
        path: '/userinfo',
        headers: {
          authorization: `DPoP ${ctx.userAccessToken}`,
          dpop: dpopProof(ctx.dpopKey, 'GET', `${ctx.issuer}/userinfo`, ctx.userAccessToken),
        },
      })),
  },
  {
    name: 'resource_api',
    description: 'GET /api/accounts (demo resource server), DPoP-bound token, proof with ath',
    tokenRequest: false,
    signed: true,
    prepare: (ctx, count) =>
      times(count, () => ({
        method: 'GET',
        path: '/api/accounts',
        headers: {
          authorization: `DPoP ${ctx.userAccessToken}`,
          dpop: dpopProof(ctx.dpopKey, 'GET', `${ctx.issuer}/api/accounts`, ctx.userAccessToken),
        },
      })),
  },
];

import { exportJWK, generateKeyPair } from 'jose';
import { generateJti } from '../../client';
import { ScenarioSkip, type ScenarioContext } from '../context';
import type { AssertionForgery } from '../forge';
import { clientCredentialsRequest, newPkce, parRequest } from '../flows';
import type { Observation } from '../types';
import { scenario } from './define';

/** Client authentication is checked identically wherever it happens; PAR is the first place a FAPI client meets it. */
async function pushWithAssertion(ctx: ScenarioContext, assertion: AssertionForgery): Promise<Observation> {
  const client = ctx.client('fapi');
  const request = await parRequest(ctx, client, await newPkce(), await ctx.dpopKey());
  request.auth = { client, assertion };
  return (await ctx.send(request)).observation;
}

const invalidClient = { status: 401, error: 'invalid_client' } as const;

export const clientAuthenticationScenarios = [
  scenario({
    id: 'client-assertion-aud-token-endpoint',
    title: 'Client assertion with the token endpoint as aud',
    category: 'client-authentication',
    description: 'The assertion names the token endpoint URL as its audience instead of the issuer.',
    expected: invalidClient,
    clause: 'FAPI 2.0 SP §5.3.2.1 (aud is the issuer identifier only); RFC 7523 §3 (3)',
    teaching:
      'FAPI pins aud to the issuer so that an assertion made for one server can never be replayed at another endpoint or server.',
    run: async (ctx) => pushWithAssertion(ctx, { claims: { aud: await ctx.endpoint('token_endpoint') } }),
  }),
  scenario({
    id: 'client-assertion-aud-par-endpoint',
    title: 'Client assertion with the PAR endpoint as aud',
    category: 'client-authentication',
    description: 'The assertion sent to the PAR endpoint names that endpoint’s URL as its audience.',
    expected: invalidClient,
    clause: 'FAPI 2.0 SP §5.3.2.1 (aud is the issuer identifier only); RFC 9126 §2',
    teaching:
      'RFC 9126 lets a server take its PAR endpoint URL as an audience; FAPI 2.0 narrows that to the issuer, the one value a client then ever signs for.',
    run: async (ctx) =>
      pushWithAssertion(ctx, {
        claims: { aud: await ctx.endpoint('pushed_authorization_request_endpoint') },
      }),
  }),
  scenario({
    id: 'client-assertion-aud-array',
    title: 'Client assertion with aud as an array',
    category: 'client-authentication',
    description: 'The assertion carries aud = [issuer], an array, instead of a single string.',
    expected: invalidClient,
    clause: 'FAPI 2.0 SP §5.3.2.1 (aud a single string)',
    teaching:
      'Multi-valued audiences were at the root of the 2024 private_key_jwt audience vulnerability; FAPI requires a single string.',
    run: (ctx) => pushWithAssertion(ctx, { claims: { aud: [ctx.target.issuer] } }),
  }),
  scenario({
    id: 'client-assertion-expired',
    title: 'Expired client assertion',
    category: 'client-authentication',
    description: 'The assertion expired two minutes ago.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (4)',
    teaching: 'Assertions are short-lived so that a captured one is soon worthless.',
    run: (ctx) => {
      const now = ctx.clock.epochSeconds();
      return pushWithAssertion(ctx, { claims: { iat: now - 300, exp: now - 120 } });
    },
  }),
  scenario({
    id: 'client-assertion-missing-exp',
    title: 'Client assertion without exp',
    category: 'client-authentication',
    description: 'The assertion carries no exp claim.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (4) (exp MUST be present)',
    teaching: 'An assertion without expiry would be valid forever.',
    run: (ctx) => pushWithAssertion(ctx, { claims: { exp: undefined } }),
  }),
  scenario({
    id: 'client-assertion-nbf-future',
    title: 'Client assertion not valid before two minutes from now',
    category: 'client-authentication',
    description: 'nbf lies 120 s in the future, far beyond the accepted clock skew.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (5); FAPI 2.0 SP §5.3.2.1 (no more than 10–60 s of skew)',
    teaching:
      'Tolerating some skew keeps honest clients working; tolerating minutes lets pre-made assertions be stockpiled.',
    run: (ctx) => pushWithAssertion(ctx, { claims: { nbf: ctx.clock.epochSeconds() + 120 } }),
  }),
  scenario({
    id: 'client-assertion-iat-slightly-ahead',
    title: 'Client assertion dated 8 s ahead (accepted)',
    category: 'client-authentication',
    description:
      'The client’s clock runs 8 s fast: its assertion’s iat is 8 s in the future, within the 10 s a server must allow.',
    expected: { success: true },
    clause: 'FAPI 2.0 SP §5.3.2.1 (accept iat and nbf up to 10 s in the future)',
    teaching:
      'Clocks drift: a server that refuses an assertion a few seconds ahead fails clients at random; FAPI fixes the tolerance at 10 s, and the refusal beyond 60 s.',
    run: (ctx) => {
      const ahead = ctx.clock.epochSeconds() + 8;
      return pushWithAssertion(ctx, { claims: { iat: ahead, nbf: ahead, exp: ahead + 60 } });
    },
  }),
  scenario({
    id: 'client-assertion-jti-reused',
    title: 'Client assertion replayed (same jti)',
    category: 'client-authentication',
    description: 'A first request with a given jti is accepted; a second one with the same jti is sent.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (7); RFC 7521 §5.2',
    teaching: 'The jti replay cache is what makes a captured assertion single-use.',
    run: async (ctx) => {
      const jti = generateJti();
      const first = await pushWithAssertion(ctx, { claims: { jti } });
      if ((first.status ?? 0) >= 400)
        return { ...first, problems: ['the first, honest assertion was refused'] };
      return pushWithAssertion(ctx, { claims: { jti } });
    },
  }),
  scenario({
    id: 'client-assertion-unknown-key',
    title: 'Client assertion signed by an unregistered key',
    category: 'client-authentication',
    description: 'The assertion is signed by a fresh ES256 key the provider has never seen.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (9); OIDC Core §9',
    teaching: 'Only a key of the client’s registered JWKS proves it is the client.',
    run: async (ctx) => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = { ...(await exportJWK(privateKey)), kid: 'not-registered', alg: 'ES256' };
      return pushWithAssertion(ctx, { privateJwk, alg: 'ES256' });
    },
  }),
  scenario({
    id: 'client-assertion-rs256',
    title: 'Client assertion signed with RS256',
    category: 'client-authentication',
    description: "The client's own registered RSA key signs the assertion with RS256 instead of PS256.",
    expected: invalidClient,
    clause: 'FAPI 2.0 SP §5.4.1 (PS256, ES256 or EdDSA only)',
    teaching: 'PKCS#1 v1.5 signatures are excluded by FAPI; the key is genuine, only the algorithm is wrong.',
    run: async (ctx) => {
      const rsa = ctx.client('fapi').private_jwks?.find((key) => key.kty === 'RSA');
      if (!rsa) throw new ScenarioSkip('the FAPI client has no RSA key to sign with RS256');
      return pushWithAssertion(ctx, { privateJwk: rsa, alg: 'RS256' });
    },
  }),
  scenario({
    id: 'client-assertion-wrong-sub',
    title: 'Client assertion whose sub is another client',
    category: 'client-authentication',
    description: 'iss is the client, sub another client_id.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (2) (sub is the client_id)',
    teaching: 'iss and sub must both name the authenticating client.',
    run: (ctx) => pushWithAssertion(ctx, { claims: { sub: 'someone-else' } }),
  }),
  scenario({
    id: 'client-assertion-alg-none',
    title: 'Unsigned client assertion (alg none)',
    category: 'client-authentication',
    description: 'The assertion header says alg none and carries no signature.',
    expected: invalidClient,
    clause: 'RFC 7523 §3 (9); FAPI 2.0 SP §5.4.1',
    teaching: 'The oldest JWT attack: a verifier that trusts the header’s alg accepts anything.',
    run: (ctx) => pushWithAssertion(ctx, { header: { alg: 'none' } }),
  }),
  scenario({
    id: 'client-assertion-kid-not-string',
    title: 'Client assertion whose kid is an object',
    category: 'client-authentication',
    description:
      'The assertion header carries kid as a JSON object with a toString member, otherwise a valid signed assertion.',
    expected: invalidClient,
    clause: 'RFC 7515 §4.1.4 (kid is a string); RFC 7523 §3',
    teaching:
      'A header member of the wrong type must be refused as bad input, not met by code that assumed a string: a server that turns it into text can fail with a 500.',
    run: (ctx) => pushWithAssertion(ctx, { header: { kid: { toString: 'x' } } }),
  }),
  scenario({
    id: 'client-credentials-happy-path',
    title: 'client_credentials with private_key_jwt and DPoP',
    category: 'client-authentication',
    description: 'Baseline: the service client obtains a DPoP-bound token.',
    expected: { success: true },
    clause: 'RFC 6749 §4.4; RFC 7523 §2.2; RFC 9449 §5',
    teaching: 'The baseline every assertion fault is compared with.',
    baseline: true,
    run: async (ctx) =>
      (await ctx.send(await clientCredentialsRequest(ctx, await ctx.dpopKey()))).observation,
  }),
];

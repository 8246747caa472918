import { parseJsonObject } from '../../client';
import {
  fapiTokens,
  introspectRequest,
  isActive,
  refreshRequest,
  resourceRequest,
  revokeRequest,
  userinfoRequest,
} from '../flows';
import { withProblem } from '../observe';
import { scenario } from './define';

export const refreshAndRevocationScenarios = [
  scenario({
    id: 'refresh-happy-path',
    title: 'Refresh with the DPoP key',
    category: 'refresh-and-revocation',
    description: 'Baseline: the FAPI client refreshes with a proof of its key.',
    expected: { success: true },
    clause: 'RFC 6749 §6; RFC 9449 §5',
    teaching: 'The baseline every refresh fault is compared with.',
    baseline: true,
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      if (!tokens.refresh_token) return { status: null, problems: ['no refresh token was issued'] };
      return (await ctx.send(await refreshRequest(ctx, grant.client, tokens.refresh_token, grant.key)))
        .observation;
    },
  }),
  scenario({
    id: 'refresh-without-dpop-proof',
    title: 'Refresh without a DPoP proof',
    category: 'refresh-and-revocation',
    description: 'The FAPI client refreshes with its valid credentials but proves no key.',
    expected: { status: 400, error: ['invalid_dpop_proof', 'invalid_request'] },
    clause: 'RFC 9449 §5; FAPI 2.0 SP §5.3.2.1 (only sender-constrained access tokens)',
    teaching: 'Refreshing must not be a way to obtain an unbound token.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      if (!tokens.refresh_token) return { status: null, problems: ['no refresh token was issued'] };
      return (await ctx.send(await refreshRequest(ctx, grant.client, tokens.refresh_token, undefined)))
        .observation;
    },
  }),
  scenario({
    id: 'refresh-by-another-client',
    title: 'Refresh token used by another client',
    category: 'refresh-and-revocation',
    description: "The FAPI client's refresh token is sent by the standard client with its own secret.",
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 6749 §6 (the refresh token was issued to the authenticated client), §10.4',
    teaching: 'Refresh tokens are bound to their client; a leaked one must not work for anyone else.',
    run: async (ctx) => {
      const { tokens } = await fapiTokens(ctx);
      if (!tokens.refresh_token) return { status: null, problems: ['no refresh token was issued'] };
      return (
        await ctx.send(await refreshRequest(ctx, ctx.client('standard'), tokens.refresh_token, undefined))
      ).observation;
    },
  }),
  scenario({
    id: 'revoked-refresh-token-used',
    title: 'Refresh with a revoked refresh token',
    category: 'refresh-and-revocation',
    description: 'The refresh token is revoked (RFC 7009), then used.',
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 7009 §2.1; RFC 6749 §5.2',
    teaching: 'Revocation is how a user or a client ends a grant; it must take effect at once.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      if (!tokens.refresh_token) return { status: null, problems: ['no refresh token was issued'] };
      await ctx.expectSuccess(await revokeRequest(ctx, grant.client, tokens.refresh_token));
      return (await ctx.send(await refreshRequest(ctx, grant.client, tokens.refresh_token, grant.key)))
        .observation;
    },
  }),
  scenario({
    id: 'revoked-access-token-used',
    title: 'Userinfo call with a revoked access token',
    category: 'refresh-and-revocation',
    description:
      'The access token is revoked, then presented at the userinfo endpoint (which the provider itself serves) with an honest proof.',
    expected: { status: 401, error: 'invalid_token' },
    clause: 'RFC 7009 §2.1; RFC 6750 §3.1',
    teaching:
      'A revoked token must stop working wherever the provider is asked about it. (A resource server that only validated JWTs locally would honour it until it expires; see the next scenario.)',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      await ctx.expectSuccess(await revokeRequest(ctx, grant.client, tokens.access_token));
      const request = await userinfoRequest(ctx, tokens.access_token, [
        { key: grant.key, accessToken: tokens.access_token },
      ]);
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'revoked-access-token-at-resource',
    title: 'Resource API call with a revoked access token',
    category: 'refresh-and-revocation',
    description: 'The access token is revoked, then presented at the demo resource API with an honest proof.',
    expected: { status: 401, error: 'invalid_token' },
    clause: 'RFC 7009 §2; RFC 7662 §2.2; RFC 6750 §3.1',
    teaching:
      'A self-contained JWT stays valid-looking until it expires: a resource server must ask the issuer (introspection) to honour a revocation.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      await ctx.expectSuccess(await revokeRequest(ctx, grant.client, tokens.access_token));
      const request = resourceRequest(ctx, tokens.access_token, [
        { key: grant.key, accessToken: tokens.access_token },
      ]);
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'introspection-dpop-bound-token',
    title: 'Introspection of a DPoP-bound access token',
    category: 'refresh-and-revocation',
    description:
      'The FAPI client introspects its DPoP-bound access token; the answer must be active and name the key by cnf.jkt.',
    expected: { success: true },
    clause: 'RFC 9449 §6.2; RFC 7662 §2.2',
    teaching:
      'A resource server that introspects instead of reading the token learns the key it must check the proofs against from cnf.jkt; without it a DPoP-bound token would pass for a bearer token.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      const { observation, response } = await ctx.send(
        await introspectRequest(ctx, grant.client, tokens.access_token),
      );
      const body = parseJsonObject<{ active?: unknown; cnf?: { jkt?: unknown } }>(response);
      const result = withProblem(
        observation,
        body.active !== true ? 'the access token just issued is not active' : undefined,
      );
      const jkt = body.cnf?.jkt;
      return withProblem(
        result,
        jkt !== grant.key.thumbprint
          ? `cnf.jkt is ${JSON.stringify(jkt)}, not the thumbprint of the token's DPoP key`
          : undefined,
      );
    },
  }),
  scenario({
    id: 'revoked-token-introspected',
    title: 'Introspection of a revoked refresh token and its access token',
    category: 'refresh-and-revocation',
    description: 'The refresh token is revoked; introspection must say active:false with no other member.',
    expected: { success: true },
    clause: 'RFC 7662 §2.2; RFC 7009 §2.1',
    teaching: 'Introspection must not leak anything about a token that is no longer active.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      if (!tokens.refresh_token) return { status: null, problems: ['no refresh token was issued'] };
      await ctx.expectSuccess(await revokeRequest(ctx, grant.client, tokens.refresh_token));
      const { observation, response } = await ctx.send(
        await introspectRequest(ctx, grant.client, tokens.refresh_token),
      );
      // What is judged here: an answer that is no JSON object fails the scenario, naming the request.
      const body = parseJsonObject(response);
      const leaked = Object.keys(body).filter((name) => name !== 'active');
      let result = withProblem(
        observation,
        body.active !== false ? 'the revoked refresh token is still active' : undefined,
      );
      result = withProblem(
        result,
        leaked.length > 0 ? `an inactive token's introspection leaks ${leaked.join(', ')}` : undefined,
      );
      // RFC 7009 §2.1: revoking a refresh token should also revoke the access tokens of its grant.
      return withProblem(
        result,
        (await isActive(ctx, grant.client, tokens.access_token))
          ? 'the access token of the revoked grant is still active'
          : undefined,
      );
    },
  }),
  scenario({
    id: 'revoke-unknown-token',
    title: 'Revocation of an unknown token',
    category: 'refresh-and-revocation',
    description: 'The FAPI client revokes a token the provider never issued.',
    expected: { success: true, status: 200 },
    clause: 'RFC 7009 §2.2',
    teaching: 'Answering 200 for unknown tokens keeps revocation from becoming a token-validity oracle.',
    run: async (ctx) =>
      (await ctx.send(await revokeRequest(ctx, ctx.client('fapi'), 'never-issued-token'))).observation,
  }),
];

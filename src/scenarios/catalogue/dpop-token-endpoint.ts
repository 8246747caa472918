import { generateJti } from '../../client';
import {
  fapiCode,
  fapiTokens,
  newPkce,
  parRequest,
  refreshRequest,
  tokenRequest,
  tokenSetOf,
} from '../flows';
import { scenario } from './define';
import { dpopFaults } from './dpop-faults';

export const dpopTokenEndpointScenarios = [
  ...dpopFaults.map((fault) =>
    scenario({
      id: `dpop-token-${fault.slug}`,
      title: `Token request with ${fault.title}`,
      category: 'dpop-token-endpoint',
      description: `The FAPI client redeems its code; ${fault.description.charAt(0).toLowerCase()}${fault.description.slice(1)}`,
      expected:
        fault.slug === 'missing'
          ? { status: 400, error: ['invalid_dpop_proof', 'invalid_request'] }
          : { status: 400, error: 'invalid_dpop_proof' },
      clause: `${fault.clause}; RFC 9449 §5 (token endpoint)`,
      teaching: fault.teaching,
      run: async (ctx) => {
        // Extractable, so that the "private key in the header" fault can be built from the bound key itself.
        const key = await ctx.dpopKey('ES256', true);
        const grant = await fapiCode(ctx, key);
        const request = await tokenRequest(ctx, grant);
        request.dpop = await fault.forge({
          key,
          url: request.url,
          method: request.method,
          now: ctx.clock.epochSeconds(),
          other: await ctx.dpopKey(),
        });
        return (await ctx.send(request)).observation;
      },
    }),
  ),
  scenario({
    id: 'dpop-token-jti-reused',
    title: 'Token request with a replayed proof jti',
    category: 'dpop-token-endpoint',
    description: 'A proof jti accepted for the code exchange is used again for a refresh.',
    expected: { status: 400, error: 'invalid_dpop_proof' },
    clause: 'RFC 9449 §11.1',
    teaching: 'Proofs are single-use; a captured one must not buy a second token response.',
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      const jti = generateJti();
      const exchange = await tokenRequest(ctx, grant);
      exchange.dpop = [{ key: grant.key, jti }];
      const { response } = await ctx.expectSuccess(exchange);
      const { refresh_token } = tokenSetOf(response);
      if (!refresh_token)
        return { status: null, problems: ['no refresh token to make the second request with'] };
      const request = await refreshRequest(ctx, grant.client, refresh_token, grant.key);
      request.dpop = [{ key: grant.key, jti }];
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'dpop-token-key-not-bound-to-code',
    title: 'Code redeemed with a proof of another key than dpop_jkt',
    category: 'dpop-token-endpoint',
    description: 'The code was bound to one key by dpop_jkt at PAR; the token request proves another key.',
    expected: { status: 400, error: ['invalid_dpop_proof', 'invalid_grant'] },
    clause: 'RFC 9449 §10, §10.1',
    teaching: 'Binding the code to the key stops a stolen code from being redeemed with the thief’s own key.',
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      return (await ctx.send(await tokenRequest(ctx, { ...grant, key: await ctx.dpopKey() }))).observation;
    },
  }),
  scenario({
    id: 'par-dpop-jkt-mismatch',
    title: 'PAR whose dpop_jkt and DPoP proof name different keys',
    category: 'dpop-token-endpoint',
    description: 'The FAPI client pushes dpop_jkt for one key with a DPoP proof made by another.',
    expected: { status: 400, error: ['invalid_dpop_proof', 'invalid_request'] },
    clause: 'RFC 9449 §10.1',
    teaching:
      'A pushed request may name its key twice, by dpop_jkt and by a proof; the server must refuse two different keys, or the code would be bound to whichever it read.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.dpop = [{ key: await ctx.dpopKey() }];
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'dpop-token-iat-slightly-ahead',
    title: 'Token request whose proof is dated 8 s ahead (accepted)',
    category: 'dpop-token-endpoint',
    description:
      'The client’s clock runs 8 s fast: the proof’s iat is 8 s in the future, within the 10 s a server must allow.',
    expected: { success: true },
    clause: 'RFC 9449 §4.3 (11), §11.1; FAPI 2.0 SP §5.3.2.1 (accept iat up to 10 s in the future)',
    teaching:
      'The proof window must allow for clock drift, or a client a few seconds fast could never get a token.',
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      const request = await tokenRequest(ctx, grant);
      request.dpop = [{ key: grant.key, iat: ctx.clock.epochSeconds() + 8 }];
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'fapi-flow-happy-path',
    title: 'FAPI 2.0 flow: PAR, login, DPoP-bound token, resource',
    category: 'dpop-token-endpoint',
    description: 'Baseline: the whole FAPI flow with honest proofs.',
    expected: { success: true },
    clause: 'FAPI 2.0 SP §5.3; RFC 9449 §5, §7',
    teaching: 'The baseline every DPoP fault is compared with.',
    baseline: true,
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      const problems: string[] = [];
      if (String(tokens.token_type).toLowerCase() !== 'dpop')
        problems.push(`token_type is ${String(tokens.token_type)}, not DPoP`);
      const { observation } = await ctx.send({
        stage: 'resource',
        label: 'resource',
        method: 'GET',
        url: ctx.resourceUrl,
        params: [],
        headers: { Authorization: `DPoP ${tokens.access_token}` },
        dpop: [{ key: grant.key, accessToken: tokens.access_token }],
      });
      return problems.length > 0 ? { ...observation, problems } : observation;
    },
  }),
];

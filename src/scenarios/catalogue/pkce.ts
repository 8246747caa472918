import { ScenarioSkip, type ScenarioContext } from '../context';
import {
  authorizationParams,
  authorizeRequest,
  fapiCode,
  mustPush,
  newPkce,
  parRequest,
  tokenRequest,
} from '../flows';
import { scenario } from './define';

const withoutParams = (params: [string, string][], ...names: string[]) =>
  params.filter(([name]) => !names.includes(name));

async function pushWithout(ctx: ScenarioContext, names: string[], extra: [string, string][] = []) {
  const client = ctx.client('fapi');
  const request = await parRequest(ctx, client, await newPkce(), await ctx.dpopKey());
  request.params = [...withoutParams(request.params, ...names), ...extra];
  return (await ctx.send(request)).observation;
}

async function frontChannelWithout(ctx: ScenarioContext, names: string[], extra: [string, string][] = []) {
  const client = ctx.client('standard');
  if (await mustPush(ctx, client)) {
    // Refused for going around PAR, the request would pass for a refusal of its PKCE parameters.
    throw new ScenarioSkip(
      'the standard client must use PAR there (require_pushed_authorization_requests, RFC 9126 §5, §6): a front-channel request cannot show this rule',
    );
  }
  const params = authorizationParams(ctx, client, await newPkce());
  return (await ctx.send(await authorizeRequest(ctx, [...withoutParams(params, ...names), ...extra])))
    .observation;
}

export const pkceScenarios = [
  scenario({
    id: 'pkce-missing-challenge-par',
    title: 'PAR without code_challenge',
    category: 'pkce',
    description: 'The FAPI client pushes an authorization request with no code_challenge.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'FAPI 2.0 SP §5.3.2.2 (PKCE required); RFC 7636 §4.4.1',
    teaching:
      'Without PKCE a stolen authorization code can be redeemed by whoever holds it; FAPI makes PKCE mandatory for every request.',
    run: (ctx) => pushWithout(ctx, ['code_challenge', 'code_challenge_method']),
  }),
  scenario({
    id: 'pkce-plain-method-par',
    title: 'PAR with code_challenge_method=plain',
    category: 'pkce',
    description: 'The FAPI client pushes a request whose challenge is the verifier itself (method plain).',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'FAPI 2.0 SP §5.3.2.2 (S256 only); RFC 7636 §4.2',
    teaching:
      'With plain, the challenge is the verifier: anyone who sees the authorization request can redeem the code.',
    run: (ctx) =>
      pushWithout(
        ctx,
        ['code_challenge', 'code_challenge_method'],
        [
          ['code_challenge', 'a-plain-verifier-that-is-long-enough-to-be-valid-0123456789'],
          ['code_challenge_method', 'plain'],
        ],
      ),
  }),
  scenario({
    id: 'pkce-missing-challenge-front-channel',
    title: 'Authorization request without code_challenge (standard client)',
    category: 'pkce',
    description: 'The standard client sends every parameter in the query but no code_challenge.',
    expected: { status: [302, 303], error: 'invalid_request' },
    clause: 'RFC 7636 §4.4.1; RFC 6749 §4.1.2.1 (error sent to the registered redirect_uri)',
    teaching:
      'The lab requires PKCE of every client, not just FAPI ones (OAuth 2.1 does too); the error goes back to the client because its redirect_uri is already validated.',
    run: (ctx) => frontChannelWithout(ctx, ['code_challenge', 'code_challenge_method']),
  }),
  scenario({
    id: 'pkce-plain-method-front-channel',
    title: 'Authorization request with code_challenge_method=plain (standard client)',
    category: 'pkce',
    description: 'The standard client asks for the plain method in the front channel.',
    expected: { status: [302, 303], error: 'invalid_request' },
    clause: 'RFC 7636 §4.4.1, §4.2; FAPI 2.0 SP §5.3.2.2',
    teaching: 'A server that supports only S256 must refuse plain rather than silently treat it as S256.',
    run: (ctx) =>
      frontChannelWithout(
        ctx,
        ['code_challenge', 'code_challenge_method'],
        [
          ['code_challenge', 'a-plain-verifier-that-is-long-enough-to-be-valid-0123456789'],
          ['code_challenge_method', 'plain'],
        ],
      ),
  }),
  scenario({
    id: 'pkce-wrong-verifier',
    title: 'Code exchanged with the wrong code_verifier',
    category: 'pkce',
    description: 'A genuine code is redeemed with a verifier that does not match its challenge.',
    expected: { status: 400, error: 'invalid_grant' },
    clause: 'RFC 7636 §4.6',
    teaching: 'This is the attack PKCE exists to stop: an intercepted code is useless without the verifier.',
    run: async (ctx) => {
      const grant = await fapiCode(ctx);
      const request = await tokenRequest(ctx, { ...grant, pkce: await newPkce() });
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'pkce-missing-verifier',
    title: 'Code exchanged without code_verifier',
    category: 'pkce',
    description: 'A genuine code is redeemed with no code_verifier at all.',
    expected: { status: 400, error: ['invalid_grant', 'invalid_request'] },
    clause: 'RFC 7636 §4.5, §4.6',
    teaching:
      'A code issued for a PKCE request must never be redeemable without the verifier, or PKCE can be stripped.',
    run: async (ctx) => {
      const request = await tokenRequest(ctx, await fapiCode(ctx));
      request.params = withoutParams(request.params, 'code_verifier');
      return (await ctx.send(request)).observation;
    },
  }),
];

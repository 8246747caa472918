import { generateJti } from '../../client';
import type { ScenarioContext } from '../context';
import type { ProofForgery } from '../forge';
import { fapiTokens, resourceRequest, userinfoRequest } from '../flows';
import type { Expected, Observation } from '../types';
import { scenario } from './define';
import { dpopFaults } from './dpop-faults';

const invalidProof: Expected = { status: 401, error: 'invalid_dpop_proof' };

/** Obtains honest FAPI tokens, then calls the resource with the proofs `forge` makes. */
async function callResource(
  ctx: ScenarioContext,
  forge: (input: { key: ProofForgery['key']; token: string }) => Promise<ProofForgery[] | undefined>,
  scheme?: string,
): Promise<Observation> {
  // Extractable, so that the "private key in the header" fault can be built from the bound key itself.
  const { grant, tokens } = await fapiTokens(ctx, await ctx.dpopKey('ES256', true));
  const proofs = await forge({ key: grant.key, token: tokens.access_token });
  return (await ctx.send(resourceRequest(ctx, tokens.access_token, proofs, scheme ?? 'DPoP'))).observation;
}

export const dpopResourceScenarios = [
  ...dpopFaults.map((fault) =>
    scenario({
      id: `dpop-resource-${fault.slug}`,
      title: `Resource request with ${fault.title}`,
      category: 'dpop-resource',
      description: `A DPoP-bound token is presented at the resource; ${fault.description.charAt(0).toLowerCase()}${fault.description.slice(1)}`,
      expected:
        fault.slug === 'missing'
          ? { status: 401, error: ['invalid_dpop_proof', 'invalid_token'] }
          : invalidProof,
      clause: `${fault.clause}; RFC 9449 §7.1 (resource)`,
      teaching: fault.teaching,
      run: async (ctx) => {
        const other = await ctx.dpopKey();
        return callResource(ctx, async ({ key, token }) => {
          const proofs = await fault.forge({
            key,
            url: ctx.resourceUrl,
            method: 'GET',
            now: ctx.clock.epochSeconds(),
            other,
          });
          return proofs?.map((proof) => ({ ...proof, accessToken: token }));
        });
      },
    }),
  ),
  scenario({
    id: 'dpop-resource-jti-reused',
    title: 'Resource request with a replayed proof',
    category: 'dpop-resource',
    description: 'A proof accepted once at the resource is sent again, unchanged.',
    expected: invalidProof,
    clause: 'RFC 9449 §11.1',
    teaching: 'Without replay detection a captured request can be repeated as long as the token lives.',
    run: async (ctx) => {
      const { grant, tokens } = await fapiTokens(ctx);
      const jti = generateJti();
      const proofs = [{ key: grant.key, accessToken: tokens.access_token, jti }];
      await ctx.expectSuccess(resourceRequest(ctx, tokens.access_token, proofs));
      return (await ctx.send(resourceRequest(ctx, tokens.access_token, proofs))).observation;
    },
  }),
  scenario({
    id: 'dpop-resource-missing-ath',
    title: 'Resource request whose proof has no ath',
    category: 'dpop-resource',
    description: 'The proof is otherwise honest but does not cover the access token (no ath).',
    expected: invalidProof,
    clause: 'RFC 9449 §4.3 (12), §7.1',
    teaching:
      'ath ties the proof to one token, so a proof cannot be paired with another token of the same key.',
    run: (ctx) => callResource(ctx, ({ key }) => Promise.resolve([{ key }])),
  }),
  scenario({
    id: 'dpop-resource-wrong-ath',
    title: 'Resource request whose ath is the hash of another token',
    category: 'dpop-resource',
    description: 'ath is computed over a different string than the presented token.',
    expected: invalidProof,
    clause: 'RFC 9449 §4.3 (12), §7.1',
    teaching: 'The server must recompute ath from the token it was given, not trust the claim.',
    run: (ctx) =>
      callResource(ctx, ({ key }) => Promise.resolve([{ key, accessToken: 'another-access-token' }])),
  }),
  scenario({
    id: 'dpop-resource-other-key',
    title: 'Resource request proved by another key than the token’s cnf.jkt',
    category: 'dpop-resource',
    description: 'A valid proof with ath, made by a fresh key that is not the one the token is bound to.',
    expected: { status: 401, error: ['invalid_dpop_proof', 'invalid_token'] },
    clause: 'RFC 9449 §4.3 (12), §6.1',
    teaching: 'This is the whole point of DPoP: a stolen token is useless without the key it is bound to.',
    run: async (ctx) => {
      const thief = await ctx.dpopKey();
      return callResource(ctx, ({ token }) => Promise.resolve([{ key: thief, accessToken: token }]));
    },
  }),
  scenario({
    id: 'dpop-resource-token-as-bearer',
    title: 'DPoP-bound token sent with the Bearer scheme',
    category: 'dpop-resource',
    description: 'The DPoP-bound token is presented as `Authorization: Bearer`, without a proof.',
    expected: { status: 401, error: 'invalid_token' },
    clause: 'RFC 9449 §7.2',
    teaching: 'A downgrade to Bearer would strip the sender constraint; the server must refuse it.',
    run: (ctx) => callResource(ctx, () => Promise.resolve(undefined), 'Bearer'),
  }),
  scenario({
    id: 'userinfo-dpop-token-as-bearer',
    title: 'DPoP-bound token sent to userinfo with the Bearer scheme',
    category: 'dpop-resource',
    description:
      'The DPoP-bound token is presented at the provider’s own userinfo endpoint as `Authorization: Bearer`, without a proof.',
    expected: { status: 401, error: 'invalid_token' },
    clause: 'RFC 9449 §7.1, §7.2; OpenID Connect Core §5.3',
    teaching:
      'Userinfo is a protected resource like any other, served by the provider itself: a DPoP-bound token taken from a log must not read the user’s claims there either.',
    run: async (ctx) => {
      const { tokens } = await fapiTokens(ctx);
      return (await ctx.send(await userinfoRequest(ctx, tokens.access_token, undefined))).observation;
    },
  }),
];

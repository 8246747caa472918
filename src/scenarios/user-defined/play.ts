import type { OutgoingRequest, RequestStage, ScenarioContext } from '../context';
import type { ProofForgery } from '../forge';
import {
  clientCredentialsRequest,
  fapiCode,
  introspectRequest,
  redeem,
  refreshRequest,
  resourceRequest,
  revokeRequest,
  standardCode,
  tokenSetOf,
  type CodeGrant,
} from '../flows';
import type { Observation } from '../types';
import type { Mutation, UserScenario } from './schema';

const lower = (name: string) => name.toLowerCase();
/** JSON null in the file means "remove it". */
const orRemove = (value: unknown): unknown => (value === null ? undefined : value);

/** Applies the user's mutations to the request of the stage under test. */
async function mutate(
  ctx: ScenarioContext,
  request: OutgoingRequest,
  mutations: readonly Mutation[],
): Promise<void> {
  const parameterEdits: ((params: [string, string][]) => [string, string][])[] = [];
  for (const mutation of mutations) {
    if ('advanceClock' in mutation) await ctx.advanceClock(mutation.advanceClock);
    else if ('setParameter' in mutation) {
      const { name, value } = mutation.setParameter;
      parameterEdits.push((params) => [...params.filter(([n]) => n !== name), [name, value]]);
    } else if ('removeParameter' in mutation) {
      const name = mutation.removeParameter;
      parameterEdits.push((params) => params.filter(([n]) => n !== name));
    } else if ('setHeader' in mutation) {
      const { name, value } = mutation.setHeader;
      for (const key of Object.keys(request.headers))
        if (lower(key) === lower(name)) delete request.headers[key];
      if (lower(name) === 'dpop') request.dpop = undefined;
      request.headers[name] = value;
    } else if ('removeHeader' in mutation) {
      const name = mutation.removeHeader;
      for (const key of Object.keys(request.headers))
        if (lower(key) === lower(name)) delete request.headers[key];
      if (lower(name) === 'dpop') request.dpop = undefined;
    } else if ('setProofClaim' in mutation) {
      const { name, value } = mutation.setProofClaim;
      request.dpop = request.dpop?.map((p): ProofForgery => ({
        ...p,
        claims: { ...p.claims, [name]: orRemove(value) },
      }));
    } else if ('setProofHeader' in mutation) {
      const { name, value } = mutation.setProofHeader;
      request.dpop = request.dpop?.map((p): ProofForgery => ({
        ...p,
        header: { ...p.header, [name]: orRemove(value) },
      }));
    } else if ('setAssertionClaim' in mutation && request.auth) {
      const { name, value } = mutation.setAssertionClaim;
      const assertion = request.auth.assertion;
      request.auth = {
        ...request.auth,
        assertion: { ...assertion, claims: { ...assertion?.claims, [name]: orRemove(value) } },
      };
    }
  }
  if (parameterEdits.length > 0) {
    request.finalize = (params) => parameterEdits.reduce((current, edit) => edit(current), params);
  }
}

/**
 * Plays the base flow honestly up to the stage under test, mutates that one request, and returns the
 * provider's answer to it (ctx.stopAfter ends the flow there).
 */
export async function playUserScenario(ctx: ScenarioContext, scenario: UserScenario): Promise<Observation> {
  const stage: RequestStage = scenario.request;
  ctx.stopAfter = stage;
  ctx.intercept = async (request) => {
    if (request.stage === stage) await mutate(ctx, request, scenario.mutations);
  };
  if (scenario.flow === 'client_credentials') {
    const client = ctx.client('service');
    const key = await ctx.dpopKey();
    const { response } = await ctx.expectSuccess(await clientCredentialsRequest(ctx, key));
    const accessToken = tokenSetOf(response).access_token;
    await ctx.expectSuccess(resourceRequest(ctx, accessToken, [{ key, accessToken }]));
    await ctx.expectSuccess(await introspectRequest(ctx, client, accessToken));
    await ctx.expectSuccess(await revokeRequest(ctx, client, accessToken));
  } else {
    const grant: CodeGrant = scenario.flow === 'fapi2' ? await fapiCode(ctx) : await standardCode(ctx);
    const { tokens } = await redeem(ctx, grant);
    const accessToken = tokens.access_token;
    const proofs = grant.key ? [{ key: grant.key, accessToken }] : undefined;
    const userinfo = resourceRequest(ctx, accessToken, proofs);
    userinfo.stage = 'userinfo';
    userinfo.label = 'userinfo';
    userinfo.url = await ctx.endpoint('userinfo_endpoint');
    await ctx.expectSuccess(userinfo);
    await ctx.expectSuccess(resourceRequest(ctx, accessToken, proofs));
    if (tokens.refresh_token)
      await ctx.expectSuccess(await refreshRequest(ctx, grant.client, tokens.refresh_token, grant.key));
    await ctx.expectSuccess(await introspectRequest(ctx, grant.client, accessToken));
    await ctx.expectSuccess(await revokeRequest(ctx, grant.client, accessToken));
  }
  // Only reachable when the stage was never sent (a refresh without a refresh token).
  return { status: null, problems: [`the ${scenario.flow} flow never reached its ${stage} request`] };
}

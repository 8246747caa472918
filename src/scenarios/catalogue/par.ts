import { parseJsonObject } from '../../client';
import { withProblem } from '../observe';
import {
  authorizationParams,
  authorizeRequest,
  loginForCode,
  loginForPushedCode,
  newPkce,
  parRequest,
  pushedRequestUri,
  withParam,
} from '../flows';
import { scenario } from './define';

export const parScenarios = [
  scenario({
    id: 'par-without-client-authentication',
    title: 'PAR without client authentication',
    category: 'par',
    description: 'The FAPI client pushes a request with only its client_id, no client assertion.',
    expected: { status: 401, error: 'invalid_client' },
    clause: 'RFC 9126 §2.1; FAPI 2.0 SP §5.3.2.2',
    teaching:
      'PAR authenticates the client before anything is shown to the user, so a forged request never reaches the login page.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.auth = undefined;
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'par-without-redirect-uri',
    title: 'PAR without redirect_uri',
    category: 'par',
    description: 'The FAPI client pushes a request that lacks redirect_uri.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'FAPI 2.0 SP §5.3.2.2 (redirect_uri required in the PAR request)',
    teaching:
      'FAPI requires the redirect_uri explicitly so that the code can never go to a default the attacker chose.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.params = request.params.filter(([name]) => name !== 'redirect_uri');
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'par-unregistered-redirect-uri',
    title: 'PAR with an unregistered redirect_uri',
    category: 'par',
    description:
      'The FAPI client pushes a request whose redirect_uri it never registered (https://attacker.example/cb).',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 9126 §2.1 (the redirect_uri validated as at the authorization endpoint); RFC 6749 §3.1.2.4',
    teaching:
      'A pushed request is checked as strictly as a front-channel one: the code must never be sent where the client did not register, however it was asked for.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.params = withParam(request.params, 'redirect_uri', 'https://attacker.example/cb');
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'par-unsupported-response-type',
    title: 'PAR with response_type=token',
    category: 'par',
    description:
      'The FAPI client pushes a request for response_type=token (the implicit grant) instead of code.',
    expected: { status: 400, error: 'unsupported_response_type' },
    clause: 'FAPI 2.0 SP §5.3.2.2 (response_type code only); RFC 9126 §2.3; RFC 6749 §4.1.2.1',
    teaching:
      'A token in the front channel can leak through the browser’s history, logs and referrers; FAPI allows the code flow only.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.params = withParam(request.params, 'response_type', 'token');
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'par-request-uri-in-body',
    title: 'PAR with a request_uri parameter',
    category: 'par',
    description: 'The FAPI client pushes a request that itself carries a request_uri.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 9126 §2.1',
    teaching:
      'A pushed request must be self-contained; nesting request_uris would let one request import another.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.params.push(['request_uri', 'urn:ietf:params:oauth:request_uri:nested']);
      return (await ctx.send(request)).observation;
    },
  }),
  scenario({
    id: 'par-request-uri-reused',
    title: 'request_uri used after its authorization completed',
    category: 'par',
    description:
      'A request_uri already used for a completed authorization is sent to the authorization endpoint again.',
    expected: { status: [400, 302, 303], error: 'invalid_request_uri' },
    clause: 'FAPI 2.0 SP §5.3.2.2; RFC 9126 §4 (one-time use)',
    teaching: 'A request_uri is one-time: replaying it would replay the whole authorization request.',
    run: async (ctx) => {
      const client = ctx.client('fapi');
      const request_uri = await pushedRequestUri(
        ctx,
        await parRequest(ctx, client, await newPkce(), await ctx.dpopKey()),
      );
      const params: [string, string][] = [
        ['client_id', client.client_id],
        ['request_uri', request_uri],
      ];
      await loginForCode(ctx, client, params);
      return (await ctx.send(await authorizeRequest(ctx, params))).observation;
    },
  }),
  scenario({
    id: 'par-request-uri-expired',
    title: 'request_uri used after it expired (+10 min)',
    category: 'par',
    description: 'The lab clock moves 10 minutes forward between PAR and the authorization request.',
    expected: { status: [400, 302, 303], error: 'invalid_request_uri' },
    clause: 'RFC 9126 §2.2 (expires_in); FAPI 2.0 SP §5.3.2.2 (under 600 s)',
    teaching: 'Short-lived request_uris limit the window in which a leaked one can be used.',
    needsLabClock: true,
    run: async (ctx) => {
      const client = ctx.client('fapi');
      const request_uri = await pushedRequestUri(
        ctx,
        await parRequest(ctx, client, await newPkce(), await ctx.dpopKey()),
      );
      await ctx.advanceClock(600);
      return (
        await ctx.send(
          await authorizeRequest(ctx, [
            ['client_id', client.client_id],
            ['request_uri', request_uri],
          ]),
        )
      ).observation;
    },
  }),
  scenario({
    id: 'par-request-uri-of-another-client',
    title: "request_uri used with another client's client_id",
    category: 'par',
    description: "The standard client's client_id is sent with a request_uri pushed by the FAPI client.",
    expected: { status: [400, 302, 303], error: ['invalid_request_uri', 'invalid_request'] },
    clause: 'RFC 9126 §4 (request_uri bound to the client that pushed it)',
    teaching:
      'Without this binding, one client could start an authorization with the parameters another pushed.',
    run: async (ctx) => {
      const fapi = ctx.client('fapi');
      const standard = ctx.client('standard');
      const request_uri = await pushedRequestUri(
        ctx,
        await parRequest(ctx, fapi, await newPkce(), await ctx.dpopKey()),
      );
      const { observation } = await ctx.send(
        await authorizeRequest(ctx, [
          ['client_id', standard.client_id],
          ['request_uri', request_uri],
        ]),
      );
      // Whatever the answer, no code may be issued.
      return withProblem(
        observation,
        observation.status !== null && observation.status < 400 && observation.error === undefined
          ? 'the authorization went on with another client’s request_uri'
          : undefined,
      );
    },
  }),
  scenario({
    id: 'fapi-authorization-without-par',
    title: 'FAPI client sends its authorization request without PAR',
    category: 'par',
    description: 'The FAPI client puts every parameter in the front channel instead of pushing them.',
    expected: { status: [400, 302, 303], error: 'invalid_request' },
    clause: 'FAPI 2.0 SP §5.3.2.2 (only accept requests through PAR); RFC 9126 §5',
    teaching:
      'Front-channel parameters can be read and altered by the browser; FAPI accepts them only from the authenticated back channel.',
    run: async (ctx) => {
      const client = ctx.client('fapi');
      const key = await ctx.dpopKey();
      const params = authorizationParams(ctx, client, await newPkce());
      params.push(['dpop_jkt', key.thumbprint]);
      return (await ctx.send(await authorizeRequest(ctx, params))).observation;
    },
  }),
  scenario({
    id: 'par-happy-path',
    title: 'PAR accepted and its request_uri completes an authorization',
    category: 'par',
    description:
      'Baseline: the FAPI client pushes an honest request, gets a request_uri valid for less than 10 minutes, and obtains a code with it.',
    expected: { success: true, status: 201 },
    clause: 'RFC 9126 §2.2; FAPI 2.0 SP §5.3.2.2 (expires_in under 600 s)',
    teaching:
      'The baseline every PAR fault is compared with. A request_uri is a reference to a request already checked: short-lived, so that a leaked one is soon worthless.',
    baseline: true,
    run: async (ctx) => {
      const client = ctx.client('fapi');
      const pushed = await parRequest(ctx, client, await newPkce(), await ctx.dpopKey());
      const { observation, response } = await ctx.send(pushed);
      if (response.status !== 201) return observation;
      const { request_uri, expires_in } = parseJsonObject<{ request_uri?: unknown; expires_in?: unknown }>(
        response,
      );
      if (typeof request_uri !== 'string') return withProblem(observation, 'no request_uri in the answer');
      const lifetimeOk =
        typeof expires_in === 'number' && Number.isInteger(expires_in) && expires_in > 0 && expires_in < 600;
      await loginForPushedCode(ctx, client, pushed, request_uri);
      return withProblem(
        observation,
        lifetimeOk
          ? undefined
          : `expires_in is ${JSON.stringify(expires_in)}, not a whole number of seconds under 600`,
      );
    },
  }),
];

import { basicCredentials } from '../../client';
import type { ScenarioContext } from '../context';
import { clientCredentialsRequest, newPkce, parRequest, withParam } from '../flows';
import type { Observation } from '../types';
import { scenario } from './define';

const noServerError = (observation: Observation): Observation =>
  (observation.status ?? 500) >= 500
    ? { ...observation, problems: ['a 5xx for bad input (DESIGN.md: never)'] }
    : observation;

async function tokenEndpoint(ctx: ScenarioContext): Promise<string> {
  return ctx.endpoint('token_endpoint');
}

export const hostileInputScenarios = [
  scenario({
    id: 'token-json-body',
    title: 'Token request with a JSON body',
    category: 'hostile-input',
    description: 'The token request is sent as application/json instead of a form.',
    expected: { status: [400, 415], error: 'invalid_request' },
    clause: 'RFC 6749 §3.2 (application/x-www-form-urlencoded)',
    teaching: 'Accepting other encodings widens the parsing surface and can bypass CSRF protections.',
    run: async (ctx) => {
      const { observation } = await ctx.send({
        stage: 'other',
        label: 'token (JSON body)',
        method: 'POST',
        url: await tokenEndpoint(ctx),
        params: [],
        // Authenticated with Basic, so that a server that parsed JSON bodies would not fail on client
        // authentication instead, and pass this scenario for the wrong reason.
        headers: {
          'Content-Type': 'application/json',
          Authorization: basicCredentials(
            ctx.client('standard').client_id,
            ctx.client('standard').client_secret ?? '',
          ),
        },
        rawBody: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      return noServerError(observation);
    },
  }),
  scenario({
    id: 'par-100kb-parameter',
    title: 'PAR with a 100 KB parameter',
    category: 'hostile-input',
    description: 'The pushed request carries a 100 KB state value.',
    expected: { status: [400, 413], error: 'invalid_request' },
    clause: 'RFC 9126 §2.1; DESIGN.md (a clear OAuth error, never a 5xx)',
    teaching: 'Size limits protect the provider’s memory and database; oversized input must fail cleanly.',
    run: async (ctx) => {
      const request = await parRequest(ctx, ctx.client('fapi'), await newPkce(), await ctx.dpopKey());
      request.params = withParam(request.params, 'state', 'x'.repeat(100 * 1024));
      return noServerError((await ctx.send(request)).observation);
    },
  }),
  scenario({
    id: 'token-invalid-utf8-percent-encoded',
    title: 'Token request with percent-encoded invalid UTF-8',
    category: 'hostile-input',
    description: 'A parameter decodes to bytes that are not UTF-8 (%FF%FE).',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 6749 Appendix B (UTF-8 form encoding)',
    teaching: 'Bytes that are not UTF-8 must be refused, not silently replaced and then compared.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const { observation } = await ctx.send({
        stage: 'other',
        label: 'token (invalid UTF-8)',
        method: 'POST',
        url: await tokenEndpoint(ctx),
        params: [],
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        rawBody: `grant_type=authorization_code&code=%FF%FE&redirect_uri=x&code_verifier=%C3%28&client_id=${encodeURIComponent(
          client.client_id,
        )}&client_secret=${encodeURIComponent(client.client_secret ?? '')}`,
      });
      return noServerError(observation);
    },
  }),
  scenario({
    id: 'token-invalid-utf8-raw-bytes',
    title: 'Token request with raw invalid UTF-8 bytes',
    category: 'hostile-input',
    description: 'The form body contains raw 0xFF 0xFE bytes.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 6749 Appendix B',
    teaching: 'A body that is not valid in its declared encoding is bad input, never a server fault.',
    run: async (ctx) => {
      const prefix = new TextEncoder().encode('grant_type=client_credentials&client_id=');
      const bytes = new Uint8Array([...prefix, 0xff, 0xfe, 0x41]);
      const { observation } = await ctx.send({
        stage: 'other',
        label: 'token (raw bytes)',
        method: 'POST',
        url: await tokenEndpoint(ctx),
        params: [],
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        rawBody: bytes,
      });
      return noServerError(observation);
    },
  }),
  scenario({
    id: 'token-duplicate-parameter',
    title: 'Token request with a repeated parameter',
    category: 'hostile-input',
    description: 'grant_type appears twice in the client_credentials request.',
    expected: { status: 400, error: 'invalid_request' },
    clause: 'RFC 6749 §3.2 (parameters MUST NOT be included more than once)',
    teaching: 'When parsers disagree on which duplicate wins, checks and actions can see different values.',
    run: async (ctx) => {
      const request = await clientCredentialsRequest(ctx, await ctx.dpopKey());
      request.params.push(['grant_type', 'authorization_code']);
      return noServerError((await ctx.send(request)).observation);
    },
  }),
  scenario({
    id: 'token-unknown-grant-type',
    title: 'Token request with an unknown grant_type',
    category: 'hostile-input',
    description: 'The standard client asks for grant_type=password.',
    expected: { status: 400, error: ['unsupported_grant_type', 'unauthorized_client'] },
    clause: 'RFC 6749 §5.2; FAPI 2.0 SP §5.3.2.1 (no password grant)',
    teaching: 'The password grant hands the user’s credentials to the client; FAPI forbids it.',
    run: async (ctx) => {
      const client = ctx.client('standard');
      const { observation } = await ctx.send({
        stage: 'other',
        label: 'token (password grant)',
        method: 'POST',
        url: await tokenEndpoint(ctx),
        params: [
          ['grant_type', 'password'],
          ['username', 'alice'],
          ['password', 'not-the-password'],
        ],
        headers: {},
        auth: { client },
      });
      return noServerError(observation);
    },
  }),
];

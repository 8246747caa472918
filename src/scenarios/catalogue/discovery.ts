import { discoveryUrl, FAPI_SIGNING_ALGS, parseJsonObject } from '../../client';
import { withProblems } from '../observe';
import type { Observation } from '../types';
import { scenario } from './define';

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** What the metadata must say for a FAPI 2.0 client to find and trust what it needs, each a problem when it does not. */
function metadataProblems(metadata: Record<string, unknown>, issuer: string): string[] {
  const problems: string[] = [];
  const list = (name: string): string[] | undefined => {
    const value = metadata[name];
    if (isStringList(value)) return value;
    problems.push(`${name} is missing or not a list of strings`);
    return undefined;
  };
  // OpenID Connect Discovery 1.0 §4.3, RFC 8414 §3.3: identical to the issuer the client asked.
  if (metadata.issuer !== issuer)
    problems.push(`issuer is ${JSON.stringify(metadata.issuer)}, not ${issuer}`);
  // RFC 9126 §5.
  if (typeof metadata.pushed_authorization_request_endpoint !== 'string')
    problems.push('pushed_authorization_request_endpoint is missing');
  // FAPI 2.0 SP §5.3.2.2: the code flow only.
  const responseTypes = list('response_types_supported');
  if (responseTypes && (responseTypes.length !== 1 || responseTypes[0] !== 'code'))
    problems.push(`response_types_supported is ${JSON.stringify(responseTypes)}, not ["code"]`);
  // RFC 7636 §4.2, FAPI 2.0 SP §5.3.2.2: S256, never plain.
  const pkceMethods = list('code_challenge_methods_supported');
  if (pkceMethods && (!pkceMethods.includes('S256') || pkceMethods.includes('plain')))
    problems.push(`code_challenge_methods_supported is ${JSON.stringify(pkceMethods)}: S256 without plain`);
  // RFC 9207 §3.
  if (metadata.authorization_response_iss_parameter_supported !== true)
    problems.push('authorization_response_iss_parameter_supported is not true');
  // FAPI 2.0 SP §5.3.2.1: private_key_jwt (or MTLS, which this lab does not offer).
  const authMethods = list('token_endpoint_auth_methods_supported');
  if (authMethods && !authMethods.includes('private_key_jwt'))
    problems.push('token_endpoint_auth_methods_supported lacks private_key_jwt');
  // RFC 9449 §5.1; FAPI 2.0 SP §5.4.1.
  const dpopAlgs = list('dpop_signing_alg_values_supported');
  if (dpopAlgs && (dpopAlgs.length === 0 || dpopAlgs.some((alg) => !FAPI_SIGNING_ALGS.includes(alg))))
    problems.push(
      `dpop_signing_alg_values_supported is ${JSON.stringify(dpopAlgs)}: some of PS256, ES256, EdDSA only`,
    );
  // RFC 7518 §3.6, RFC 7523 §3: an unsigned or MAC'd token is never evidence of who made it.
  for (const name of [
    'id_token_signing_alg_values_supported',
    'token_endpoint_auth_signing_alg_values_supported',
  ]) {
    const algs = list(name);
    const weak = algs?.filter((alg) => alg === 'none' || alg.startsWith('HS'));
    if (weak && weak.length > 0) problems.push(`${name} offers ${weak.join(', ')}`);
  }
  return problems;
}

export const discoveryScenarios = [
  scenario({
    id: 'discovery-metadata',
    title: 'Discovery metadata a FAPI 2.0 client relies on',
    category: 'discovery',
    description:
      'The provider’s OpenID configuration is read and checked: the issuer, the PAR endpoint, the code flow only, PKCE S256, iss in authorization responses, private_key_jwt, and only strong signing algorithms.',
    expected: { success: true },
    clause:
      'OpenID Connect Discovery 1.0 §3, §4.3; RFC 8414 §2; RFC 9126 §5; RFC 9207 §3; RFC 9449 §5.1; FAPI 2.0 SP §5.3.2.1, §5.4.1',
    teaching:
      'A client configures itself from this document: a wrong issuer opens the door to mix-up attacks, and an algorithm or method listed here is one a client may choose.',
    run: async (ctx): Promise<Observation> => {
      const issuer = ctx.target.issuer;
      const { observation, response } = await ctx.send({
        stage: 'other',
        label: 'discovery',
        method: 'GET',
        url: discoveryUrl(issuer),
        params: [],
        headers: { Accept: 'application/json' },
      });
      if (response.status !== 200) return observation;
      return withProblems(observation, metadataProblems(parseJsonObject(response), issuer));
    },
  }),
];

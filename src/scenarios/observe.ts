import type { ClientResponse } from '../client';
import type { Observation } from './types';

const fromWwwAuthenticate = (header: string | null, name: string): string | undefined =>
  header ? new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] : undefined;

/** The provider's error page names the code in `<code>` (src/server/http/views/error-page.ts). */
const fromErrorPage = (html: string): string | undefined => /<code>([a-z_]+)<\/code>/.exec(html)?.[1];

/**
 * Reads what the provider answered, wherever the error is carried: a redirect's query
 * (RFC 6749 §4.1.2.1), a JSON body (RFC 6749 §5.2), `WWW-Authenticate` (RFC 6750 §3, RFC 9449 §7.1)
 * or the error page shown when no redirect is allowed.
 */
export function observe(response: ClientResponse): Observation {
  const observation: Observation = { status: response.status };
  const location = response.headers.get('location');
  if (response.status >= 300 && response.status < 400 && location) {
    const target = new URL(location, response.url);
    const error = target.searchParams.get('error');
    if (error !== null) {
      observation.error = error;
      const description = target.searchParams.get('error_description');
      if (description !== null) observation.error_description = description;
    }
    return observation;
  }
  if (response.status < 400) return observation;
  try {
    const body = JSON.parse(response.body) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') observation.error = body.error;
    if (typeof body.error_description === 'string') observation.error_description = body.error_description;
  } catch {
    // Not JSON: a resource server's challenge or an HTML error page.
  }
  const challenge = response.headers.get('www-authenticate');
  observation.error ??= fromWwwAuthenticate(challenge, 'error');
  observation.error_description ??= fromWwwAuthenticate(challenge, 'error_description');
  if (observation.error === undefined && /text\/html/.test(response.headers.get('content-type') ?? '')) {
    observation.error = fromErrorPage(response.body);
  }
  if (observation.error === undefined) delete observation.error;
  if (observation.error_description === undefined) delete observation.error_description;
  return observation;
}

/**
 * RFC 9207 §2: an authorization response, an error one included, names its issuer in `iss`. The
 * problem when `response` redirects without the issuer there; a response that does not redirect is
 * the expected status's to judge.
 */
export function issProblem(response: ClientResponse, issuer: string): string | undefined {
  const location = response.headers.get('location');
  if (location === null) return undefined;
  const iss = new URL(location, response.url).searchParams.get('iss');
  return iss === issuer ? undefined : `iss is ${String(iss)}, not the issuer (RFC 9207 §2)`;
}

/** Adds a problem to an observation (a further requirement the scenario found broken). */
export function withProblem(observation: Observation, problem: string | undefined): Observation {
  return withProblems(observation, problem === undefined ? [] : [problem]);
}

/** Adds each of `problems` to an observation, in order. */
export function withProblems(observation: Observation, problems: readonly string[]): Observation {
  if (problems.length === 0) return observation;
  return { ...observation, problems: [...(observation.problems ?? []), ...problems] };
}

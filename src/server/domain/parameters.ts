import { invalidRequest } from './oauth-error';
import { verify, type CheckSpec } from './check';

export type Parameters = Readonly<Record<string, string>>;

const singleValued: CheckSpec = {
  id: 'request.single_valued_parameters',
  description: 'Each request parameter appears at most once',
  ref: 'RFC 6749 §3.1, §3.2',
};

/** Longest value accepted for any single parameter: bad input is refused, never processed. */
export const MAX_PARAMETER_LENGTH = 4096;

const bounded: CheckSpec = {
  id: 'request.parameter_size',
  description: `Parameter values are at most ${MAX_PARAMETER_LENGTH} characters`,
  ref: 'RFC 6749 §3.1 (bad input is an invalid_request)',
};

/**
 * Request parameters as single strings. RFC 6749 §3.1/§3.2: "Request and response parameters MUST
 * NOT be included more than once"; parameters sent without a value are treated as omitted.
 */
export function toParameters(source: unknown, redirectable = false): Parameters {
  const out: Record<string, string> = {};
  if (source === null || typeof source !== 'object') return out;
  for (const [name, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      verify(singleValued, false, () => invalidRequest(`parameter '${name}' is repeated`, redirectable));
    }
    if (typeof value !== 'string') continue;
    if (value.length > MAX_PARAMETER_LENGTH) {
      verify(bounded, false, () => invalidRequest(`parameter '${name}' is too long`, redirectable));
    }
    if (value !== '') out[name] = value;
  }
  return out;
}

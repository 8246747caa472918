import type { CheckSpec } from '../../domain/check';

/** The checks of client authentication; ids are stable (the lab and tests refer to them). */

const check = (id: string, description: string, ref: string): CheckSpec => ({ id, description, ref });

export const clientAuthParametersNotRepeated = check(
  'client_auth.parameters_not_repeated',
  'No client authentication parameter or header is repeated',
  'RFC 6749 §3.2',
);
export const clientAuthSingleMethod = check(
  'client_auth.single_method',
  'The client uses exactly one authentication method',
  'RFC 6749 §2.3',
);
export const clientAuthPresent = check(
  'client_auth.present',
  'The request identifies and authenticates a client',
  'RFC 6749 §2.3, §3.2.1',
);
export const clientAuthBasicWellFormed = check(
  'client_auth.basic_well_formed',
  'The Basic credentials are well formed (form-urlencoded client_id and secret)',
  'RFC 6749 §2.3.1, RFC 7617 §2',
);
export const clientAuthPostWellFormed = check(
  'client_auth.post_well_formed',
  'client_secret_post sends both client_id and client_secret as strings',
  'RFC 6749 §2.3.1',
);
export const clientAuthClientIdConsistent = check(
  'client_auth.client_id_consistent',
  'A client_id parameter names the same client as the credentials',
  'RFC 6749 §2.3.1, RFC 7521 §4.2',
);
export const clientAuthClientKnown = check(
  'client_auth.client_known',
  'The client is registered',
  'RFC 6749 §2.3',
);
export const clientAuthMethodRegistered = check(
  'client_auth.method_registered',
  "The method used is the client's registered token_endpoint_auth_method",
  'RFC 7591 §2, OpenID Connect Core §9',
);
export const clientAuthMethodAllowed = check(
  'client_auth.method_allowed',
  "The method is allowed by the client's profile and at this endpoint",
  'FAPI 2.0 SP §5.3.2.1 (4), RFC 7662 §2.1',
);
export const clientAuthSecret = check(
  'client_auth.secret',
  'The client secret matches (compared in constant time)',
  'RFC 6749 §2.3.1',
);
export const clientAssertionType = check(
  'client_assertion.type',
  'client_assertion_type is urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  'RFC 7523 §2.2',
);
export const clientAssertionWellFormed = check(
  'client_assertion.well_formed',
  'client_assertion is a single well-formed signed JWT',
  'RFC 7523 §3 (8), RFC 7521 §4.2',
);
export const clientAssertionAlg = check(
  'client_assertion.alg',
  "The assertion alg is allowed by the client's profile and registration (never none or HMAC)",
  'FAPI 2.0 SP §5.4.1, OpenID Connect Core §9',
);
export const clientAssertionSignature = check(
  'client_assertion.signature',
  "The assertion is signed by a key of the client's registered jwks",
  'RFC 7523 §3 (9)',
);
export const clientAssertionIssSub = check(
  'client_assertion.iss_sub',
  'iss and sub are both the client_id',
  'RFC 7523 §3 (1), (2), OpenID Connect Core §9',
);
export const clientAssertionAud = check(
  'client_assertion.aud',
  'aud identifies this authorization server (fapi2: exactly the issuer, as a single string)',
  'RFC 7523 §3 (3), FAPI 2.0 SP §5.3.2.1 (8)',
);
export const clientAssertionExp = check(
  'client_assertion.exp',
  'exp is present and not past',
  'RFC 7523 §3 (4)',
);
export const clientAssertionExpBounded = check(
  'client_assertion.exp_bounded',
  'exp is at most 5 minutes ahead (the jti is remembered until then)',
  'RFC 7523 §3 (4)',
);
export const clientAssertionNbf = check(
  'client_assertion.nbf',
  'nbf is not more than 10 s in the future',
  'RFC 7523 §3 (5), FAPI 2.0 SP §5.3.2.1',
);
export const clientAssertionIat = check(
  'client_assertion.iat',
  'iat is not more than 10 s in the future',
  'RFC 7523 §3 (6), FAPI 2.0 SP §5.3.2.1',
);
export const clientAssertionJti = check(
  'client_assertion.jti',
  'jti is present and has not been used before',
  'RFC 7523 §3 (7), OpenID Connect Core §9',
);

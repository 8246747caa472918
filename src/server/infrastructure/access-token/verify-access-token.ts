import { KeyObject } from 'node:crypto';
import {
  errors as joseErrors,
  type FlattenedJWSInput,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Clock } from '../../domain/clock';
import { verifyWork, witnessSignature, type CheckSpec } from '../../domain/check';
import { invalidToken } from '../../domain/oauth-error';
import { signatureKeyNames } from '../../domain/signature-key-names';
import { decodeCompactJwsHeader, JwsError, keyObjectOf, verifyCompactJwsSync } from '../jws';

export const accessTokenChecks = {
  jwt: {
    id: 'access_token.jwt',
    description:
      'The access token is a JWT (typ at+jwt) signed by a published key of the issuer, not expired',
    ref: 'RFC 9068 §4; RFC 6750 §3.1',
  },
} satisfies Record<string, CheckSpec>;

/** The claims of a JWT access token this lab issues (RFC 9068 §2.2, RFC 9449 §6.1). */
export interface AccessTokenClaims extends JWTPayload {
  readonly client_id: string;
  readonly scope: string;
  readonly sub: string;
  readonly jti: string;
  readonly exp: number;
  readonly cnf?: { readonly jkt?: string };
}

const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub', 'client_id'] as const;

class Expired extends Error {}
class Invalid extends Error {}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The verification key the resolver gives, as the KeyObject node:crypto verifies with. */
function verificationKeyObject(key: unknown, alg: string): KeyObject {
  if (key instanceof KeyObject) return key;
  // The checks jose made on a CryptoKey before verifying with it (type, algorithm, usage).
  if (key instanceof CryptoKey) return keyObjectOf(key, alg, 'verify');
  throw new Invalid('unusable key');
}

/** The claim rules applied after the signature (jose's jwtVerify options, as this lab used them). */
interface ClaimRules {
  readonly issuer: string;
  readonly audience?: string;
  /** Claims that must be present, besides `iss` (and `aud` when an audience is given). */
  readonly requiredClaims: readonly string[];
  /** The current time: `nbf` after it is refused, `exp` at or before it is Expired. */
  readonly nowSeconds: number;
  /**
   * An access token must have `typ` at+jwt (RFC 9068 §2.1); any other JWT the issuer signs must not
   * (RFC 8725 §3.11: the ID token a client gives back is not to be taken for an access token).
   */
  readonly accessToken: boolean;
}

/**
 * RFC 7519 §7.2 and RFC 9068 §4, as jose's jwtVerify checked them with the options this lab used
 * (typ at+jwt, iss, aud when given, the required claims, no clock tolerance); for a JWT that is no
 * access token, any typ but at+jwt.
 */
function validateClaims(
  header: Record<string, unknown>,
  payloadBytes: Buffer,
  rules: ClaimRules,
): JWTPayload {
  let claims: unknown;
  try {
    claims = JSON.parse(strictUtf8.decode(payloadBytes));
  } catch {
    throw new Invalid('the claims are not JSON');
  }
  if (!isPlainObject(claims)) throw new Invalid('the claims are not a JSON object');
  // RFC 9068 §2.1, RFC 8725 §3.11: typ compared as a media type (application/ prefix optional, any case).
  const normalizeTyp = (value: string) =>
    value.includes('/') ? value.toLowerCase() : `application/${value.toLowerCase()}`;
  const atJwt = typeof header.typ === 'string' && normalizeTyp(header.typ) === 'application/at+jwt';
  if (atJwt !== rules.accessToken) throw new Invalid('typ');
  const present = [...rules.requiredClaims, 'iss', ...(rules.audience !== undefined ? ['aud'] : [])];
  for (const claim of present) if (!Object.hasOwn(claims, claim)) throw new Invalid(`missing ${claim}`);
  if (claims.iss !== rules.issuer) throw new Invalid('iss');
  if (rules.audience !== undefined) {
    const { aud } = claims;
    const ok =
      typeof aud === 'string' ? aud === rules.audience : Array.isArray(aud) && aud.includes(rules.audience);
    if (!ok) throw new Invalid('aud');
  }
  const now = rules.nowSeconds;
  if (claims.iat !== undefined && typeof claims.iat !== 'number') throw new Invalid('iat');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now))
    throw new Invalid('nbf');
  if (claims.exp !== undefined && typeof claims.exp !== 'number') throw new Invalid('exp');
  if (typeof claims.exp === 'number' && claims.exp <= now) throw new Expired('exp');
  return claims as JWTPayload;
}

/** The parsed header and parts of a compact JWS whose `alg` is one of `algorithms` (else Invalid). */
function decodeWithAllowedAlg(token: string, algorithms: readonly string[]) {
  const { header, parts } = decodeCompactJwsHeader(token);
  const { alg } = header;
  if (typeof alg !== 'string' || alg === '' || !algorithms.includes(alg)) throw new Invalid('alg');
  return {
    header: header as JWTHeaderParameters,
    alg,
    input: { protected: parts[0], payload: parts[1], signature: parts[2] },
  };
}

/** The signature by `key` (the resolver's answer), no unencoded payload, then the claim rules. */
function verifyWithKey(token: string, alg: string, key: unknown, rules: ClaimRules): JWTPayload {
  const verified = verifyCompactJwsSync(token, verificationKeyObject(key, alg), alg);
  // RFC 7797 §7: a JWT never has an unencoded payload.
  if (!verified.b64) throw new Invalid('b64');
  return validateClaims(verified.header, verified.payload, rules);
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/** A verification failure of the token itself (as opposed to a fault of the caller or the resolver). */
const isRefusal = (e: unknown) =>
  e instanceof Invalid || e instanceof Expired || e instanceof JwsError || e instanceof joseErrors.JOSEError;

/** The key `keys` gives for this header, which must answer synchronously (else a TypeError). */
function resolveKeySync(
  keys: JWTVerifyGetKey,
  header: JWTHeaderParameters,
  input: FlattenedJWSInput,
): unknown {
  const key: unknown = keys(header, input);
  if (isThenable(key)) {
    // An asynchronous resolver is a fault of the caller, not a refusal of the token.
    key.then(undefined, () => undefined);
    throw new TypeError('the key resolver must answer synchronously');
  }
  return key;
}

/**
 * Verifies a JWT access token as a resource server does (RFC 9068 §4): signature by the issuer's key,
 * `typ` at+jwt, `iss`, `aud` when given, `exp`. Any failure is `invalid_token`. Synchronous: the key
 * resolver must answer synchronously, and the signature is verified with node:crypto (the key the
 * resolver gives, as its KeyObject).
 */
export function verifyAccessToken(
  token: string,
  options: { keys: JWTVerifyGetKey; issuer: string; audience?: string; clock: Clock; algorithms: string[] },
): AccessTokenClaims {
  return verifyWork(accessTokenChecks.jwt, () => {
    try {
      const { header, alg, input } = decodeWithAllowedAlg(token, options.algorithms);
      const key = resolveKeySync(options.keys, header, input);
      const payload = verifyWithKey(token, alg, key, {
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: REQUIRED_CLAIMS,
        nowSeconds: Math.floor(options.clock.now() / 1000),
        accessToken: true,
      });
      if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string') {
        throw invalidToken('the access token lacks client_id or jti');
      }
      // Verified with the key the provider published under this kid (serverKeyResolver).
      const { kid } = header;
      if (typeof kid === 'string') witnessSignature(token, () => signatureKeyNames.server(kid));
      return { scope: '', ...payload } as AccessTokenClaims;
    } catch (e) {
      if (e instanceof Expired) throw invalidToken('the access token has expired');
      if (isRefusal(e)) throw invalidToken('the access token is invalid');
      throw e;
    }
  });
}

/** The options of `identifyIssuedAccessTokenSync` and `identifyIssuedIdTokenSync`. */
interface IssuedJwtOptions {
  /** Must answer synchronously. */
  readonly keys: JWTVerifyGetKey;
  readonly issuer: string;
  readonly algorithms: readonly string[];
}

/**
 * A JWT the provider issued, identified synchronously as jose's jwtVerify did with `iss`, the
 * algorithms and `currentDate` 0: the signature by the key `keys` resolves, `typ`, `iss`, and the types
 * of `iat`, `nbf` and `exp`. No claim but `iss` is required and the time is not checked (the caller
 * judges expiry), except what date 0 leaves: an `nbf` after 0 or an `exp` at or before 0 is refused.
 * Undefined for a token that does not verify.
 */
function identifyIssuedJwtSync(
  token: string,
  options: IssuedJwtOptions,
  accessToken: boolean,
): JWTPayload | undefined {
  try {
    const { header, alg, input } = decodeWithAllowedAlg(token, options.algorithms);
    const key = resolveKeySync(options.keys, header, input);
    return verifyWithKey(token, alg, key, {
      issuer: options.issuer,
      requiredClaims: [],
      nowSeconds: 0,
      accessToken,
    });
  } catch (e) {
    if (isRefusal(e)) return undefined;
    throw e;
  }
}

/**
 * Identifies a JWT access token the provider issued (RFC 7662 §2.1, RFC 7009 §2.1): `typ` at+jwt, and
 * the rest as `identifyIssuedJwtSync` says. Returns the claims, or undefined.
 */
export const identifyIssuedAccessTokenSync = (token: string, options: IssuedJwtOptions) =>
  identifyIssuedJwtSync(token, options, true);

/**
 * Identifies an ID token the provider issued, given back as id_token_hint (RP-Initiated Logout 1.0
 * §2, where an expired one is fine): any `typ` but at+jwt, and the rest as `identifyIssuedJwtSync`
 * says. Returns the claims, or undefined.
 */
export const identifyIssuedIdTokenSync = (token: string, options: IssuedJwtOptions) =>
  identifyIssuedJwtSync(token, options, false);

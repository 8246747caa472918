import { KeyObject } from 'node:crypto';
import { errors as joseErrors, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../domain/clock';
import { verifyAsync, type CheckSpec } from '../../domain/check';
import { invalidToken } from '../../domain/oauth-error';
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

/**
 * RFC 7519 §7.2 and RFC 9068 §4, as jose's jwtVerify checked them with the options this lab used
 * (typ at+jwt, iss, aud when given, exp, iat, jti, sub and client_id required, no clock tolerance).
 */
function validateClaims(
  header: Record<string, unknown>,
  payloadBytes: Buffer,
  options: { issuer: string; audience?: string; nowSeconds: number },
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
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== 'application/at+jwt') {
    throw new Invalid('typ');
  }
  const present = [...REQUIRED_CLAIMS, 'iss', ...(options.audience !== undefined ? ['aud'] : [])];
  for (const claim of present) if (!Object.hasOwn(claims, claim)) throw new Invalid(`missing ${claim}`);
  if (claims.iss !== options.issuer) throw new Invalid('iss');
  if (options.audience !== undefined) {
    const { aud } = claims;
    const ok =
      typeof aud === 'string'
        ? aud === options.audience
        : Array.isArray(aud) && aud.includes(options.audience);
    if (!ok) throw new Invalid('aud');
  }
  const now = options.nowSeconds;
  if (claims.iat !== undefined && typeof claims.iat !== 'number') throw new Invalid('iat');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now))
    throw new Invalid('nbf');
  if (claims.exp !== undefined && typeof claims.exp !== 'number') throw new Invalid('exp');
  if (typeof claims.exp === 'number' && claims.exp <= now) throw new Expired('exp');
  return claims as JWTPayload;
}

/**
 * Verifies a JWT access token as a resource server does (RFC 9068 §4): signature by the issuer's key,
 * `typ` at+jwt, `iss`, `aud` when given, `exp`. Any failure is `invalid_token`. The signature is
 * verified synchronously with node:crypto (the key the resolver gives, as its KeyObject).
 */
export async function verifyAccessToken(
  token: string,
  options: { keys: JWTVerifyGetKey; issuer: string; audience?: string; clock: Clock; algorithms: string[] },
): Promise<AccessTokenClaims> {
  return verifyAsync(accessTokenChecks.jwt, async () => {
    try {
      const { header, parts } = decodeCompactJwsHeader(token);
      const { alg } = header;
      if (typeof alg !== 'string' || alg === '' || !options.algorithms.includes(alg)) {
        throw new Invalid('alg');
      }
      const key = await options.keys(header as JWTHeaderParameters, {
        protected: parts[0],
        payload: parts[1],
        signature: parts[2],
      });
      const verified = verifyCompactJwsSync(token, verificationKeyObject(key, alg), alg);
      // RFC 7797 §7: a JWT never has an unencoded payload.
      if (!verified.b64) throw new Invalid('b64');
      const payload = validateClaims(verified.header, verified.payload, {
        issuer: options.issuer,
        audience: options.audience,
        nowSeconds: Math.floor(options.clock.now() / 1000),
      });
      if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string') {
        throw invalidToken('the access token lacks client_id or jti');
      }
      return { scope: '', ...payload } as AccessTokenClaims;
    } catch (e) {
      if (e instanceof Expired) throw invalidToken('the access token has expired');
      if (e instanceof Invalid || e instanceof JwsError || e instanceof joseErrors.JOSEError) {
        throw invalidToken('the access token is invalid');
      }
      throw e;
    }
  });
}

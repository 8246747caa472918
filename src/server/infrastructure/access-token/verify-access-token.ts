import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../../domain/clock';
import { verifyAsync, type CheckSpec } from '../../domain/check';
import { invalidToken } from '../../domain/oauth-error';

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

/**
 * Verifies a JWT access token as a resource server does (RFC 9068 §4): signature by the issuer's key,
 * `typ` at+jwt, `iss`, `aud` when given, `exp`. Any failure is `invalid_token`.
 */
export async function verifyAccessToken(
  token: string,
  options: { keys: JWTVerifyGetKey; issuer: string; audience?: string; clock: Clock; algorithms: string[] },
): Promise<AccessTokenClaims> {
  return verifyAsync(accessTokenChecks.jwt, async () => {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: options.algorithms,
        currentDate: new Date(options.clock.now()),
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
        clockTolerance: 0,
      });
      if (typeof payload.client_id !== 'string' || typeof payload.jti !== 'string') {
        throw invalidToken('the access token lacks client_id or jti');
      }
      return { scope: '', ...payload } as AccessTokenClaims;
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw invalidToken('the access token has expired');
      if (e instanceof joseErrors.JOSEError) throw invalidToken('the access token is invalid');
      throw e;
    }
  });
}

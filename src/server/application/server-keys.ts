import { errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { KeyStore } from './ports';

/** Resolves the provider's own published keys by `kid`, to verify tokens it issued. */
export const serverKeyResolver =
  (keys: KeyStore): JWTVerifyGetKey =>
  (header) => {
    const key = header.kid ? keys.verificationKey(header.kid) : undefined;
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    return key;
  };

/** Algorithms the provider signs with (and so accepts on its own tokens). */
export const SERVER_SIGNING_ALGS = ['PS256', 'ES256', 'RS256'];

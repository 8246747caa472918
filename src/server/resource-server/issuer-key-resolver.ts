import { errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { importClientKey, keyFitsAlg } from '../infrastructure/client-authentication/client-key-cache';

/**
 * Finds the key of a token in the issuer's published JWK Set, as a resource server that has fetched
 * jwks_uri does, synchronously: the one key that has the header's `kid` (RFC 7515 §4.1.4) and may
 * verify its `alg` (RFC 7517 §4.2–4.4, RFC 7518 §3.1). A token without `kid` is verified only when
 * a single key fits (the provider always names its key). Each key is imported once, while the JWK Set
 * object the issuer publishes stays the same.
 */
export function issuerKeyResolver(jwks: () => JSONWebKeySet): JWTVerifyGetKey {
  return (header) => {
    const { alg, kid } = header;
    const fitting = jwks().keys.filter((k) => keyFitsAlg(k, alg) && (kid === undefined || k.kid === kid));
    const key = fitting.length === 1 && fitting[0] ? importClientKey(fitting[0], alg) : undefined;
    if (!key) throw new joseErrors.JWKSNoMatchingKey();
    return key;
  };
}

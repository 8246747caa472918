import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { privateMembersOf } from '../domain/jwk-private-members';
import { keyFitsAlg } from '../infrastructure/client-authentication/client-key-cache';
import { isLoopbackIpLiteral } from '../domain/redirect-uri';
import {
  MIN_RSA_MODULUS_BITS,
  nonCanonicalKeyMember,
  rsaKeyTooLarge,
  rsaModulusBits,
} from '../infrastructure/jws';
import type { LabConfig } from './lab-config-schema';

/** The server signs ID tokens with its own PS256/RS256 (RSA) and ES256 keys. */
const SERVER_ID_TOKEN_ALGS = new Set(['PS256', 'ES256', 'RS256']);

const isLoopbackHost = (hostname: string): boolean =>
  isLoopbackIpLiteral(hostname) || hostname === 'localhost';

/**
 * Rules that span fields, beyond the schema's shape. Each problem names its field.
 */
export function checkLabConfigRules(config: LabConfig): string[] {
  return config.clients.flatMap((client, i) => checkClientRules(client, i));
}

/** The rules of one client, `clients[i]` of the configuration. */
export function checkClientRules(client: LabConfig['clients'][number], i: number): string[] {
  const problems: string[] = [];
  const at = `clients[${i}]`;
  if (client.id_token_signed_response_alg && !SERVER_ID_TOKEN_ALGS.has(client.id_token_signed_response_alg)) {
    problems.push(`${at}.id_token_signed_response_alg: the server signs with PS256, ES256 or RS256`);
  }
  const uris: [string, string[]][] = [
    ['redirect_uris', client.redirect_uris],
    ['post_logout_redirect_uris', client.post_logout_redirect_uris],
  ];
  for (const [field, list] of uris) {
    list.forEach((uri, j) => {
      const url = new URL(uri);
      // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment.
      if (url.hash) problems.push(`${at}.${field}[${j}]: must not contain a fragment`);
      if (url.protocol === 'http:') {
        if (field === 'redirect_uris' && client.profile === 'fapi2') {
          // FAPI 2.0 SP §5.3.2.2: http only for a native client's loopback interface redirection.
          if (!(client.application_type === 'native' && isLoopbackIpLiteral(url.hostname))) {
            problems.push(
              `${at}.${field}[${j}]: under fapi2, http is only for a native client's loopback redirect URI (application_type "native", host 127.0.0.1 or [::1]; FAPI 2.0 SP §5.3.2.2, RFC 8252 §7.3)`,
            );
          }
        } else if (!isLoopbackHost(url.hostname)) {
          // RFC 9700 §2.1: no plain http redirect URIs except loopback (RFC 8252 §7.3).
          problems.push(`${at}.${field}[${j}]: http is only allowed for loopback redirect URIs`);
        }
      }
      if (!['http:', 'https:'].includes(url.protocol) && client.application_type !== 'native') {
        problems.push(`${at}.${field}[${j}]: a web client's redirect URIs use https (or http on loopback)`);
      }
    });
  }
  if (client.token_endpoint_auth_method === 'none' && client.profile === 'fapi2') {
    problems.push(`${at}.token_endpoint_auth_method: the fapi2 profile has confidential clients only`);
  }
  const keys = client.jwks?.keys ?? [];
  const signingAlg = client.token_endpoint_auth_signing_alg;
  if (client.token_endpoint_auth_method === 'private_key_jwt' && signingAlg) {
    // OIDC Dynamic Client Registration §2: its assertions must use this algorithm, and the provider
    // refuses any other; without a key for it, every one of them would be refused (invalid_client).
    const generated: readonly string[] = client.lab?.generate_keys ?? [];
    if (!generated.includes(signingAlg) && !keys.some((key) => keyFitsAlg(key as JWK, signingAlg))) {
      problems.push(
        `${at}.token_endpoint_auth_signing_alg: ${signingAlg}, but none of its keys signs with it (${generated.length > 0 ? `lab.generate_keys: ${generated.join(', ')}` : 'jwks'})`,
      );
    }
  }
  keys.forEach((key, j) => {
    const privateMembers = privateMembersOf(key);
    if (privateMembers.length > 0) {
      problems.push(
        `${at}.jwks.keys[${j}]: holds private key material (${privateMembers.join(', ')}); register public keys only`,
      );
      return;
    }
    const unusable = unusableKey(key);
    if (unusable) problems.push(`${at}.jwks.keys[${j}]: ${unusable}`);
  });
  return problems;
}

/**
 * Why a registered key could not verify anything, if it could not: a member that is not base64url, or
 * a key node:crypto refuses (a kty that does not fit its members, an unknown curve). Such a client
 * would only ever be refused, as invalid_client, with nothing said at start-up. And an RSA key too
 * short to be trusted.
 */
function unusableKey(key: Readonly<Record<string, unknown>>): string | undefined {
  const member = nonCanonicalKeyMember(key);
  if (member) return `${member} must be a base64url string`;
  try {
    createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
  } catch (e) {
    return `not a usable public key (${(e as Error).message})`;
  }
  // As for a DPoP proof's key.
  const bits = key.kty === 'RSA' ? rsaModulusBits(key.n as string) : undefined;
  if (bits !== undefined && bits < MIN_RSA_MODULUS_BITS) {
    return `an RSA key of ${bits} bits: at least ${MIN_RSA_MODULUS_BITS} are needed`;
  }
  const tooLarge = rsaKeyTooLarge(key);
  return tooLarge ? `too large to verify with: ${tooLarge}` : undefined;
}

import type { Client } from './client';
import type { ServerSettings } from '../config/lab-config-schema';
import { fapiSigningAlgorithms, signingAlgorithms } from '../config/lab-config-schema';

/**
 * The rules that differ between the two profiles a client may be registered under: OpenID Connect
 * (`oidc`) and the FAPI 2.0 Security Profile (`fapi2`). Pure functions of the client and the server
 * settings, so that every endpoint asks the same question the same way.
 */

export type SigningAlgorithm = (typeof signingAlgorithms)[number];
export type TokenEndpointAuthMethod = Client['metadata']['token_endpoint_auth_method'];

/**
 * Algorithms advertised in `dpop_signing_alg_values_supported` and accepted in DPoP proofs, for every
 * client: FAPI 2.0 SP §5.4.1 allows only PS256, ES256 and EdDSA, and a proof key is not registered
 * per client, so nothing weaker is offered to anyone.
 */
export const dpopAlgorithms: readonly SigningAlgorithm[] = fapiSigningAlgorithms;

/** FAPI 2.0 SP §5.3.2.1: authorization codes live at most 60 seconds. */
export const FAPI2_MAX_AUTHORIZATION_CODE_LIFETIME = 60;

/** Signing algorithms accepted from and used for this client (client assertions, ID tokens). */
export function allowedSigningAlgs(client: Client): readonly SigningAlgorithm[] {
  // FAPI 2.0 SP §5.4.1: PS256, ES256 or EdDSA only; the standard profile also allows RS256.
  return client.profile === 'fapi2' ? fapiSigningAlgorithms : signingAlgorithms;
}

/** RFC 9126 §5 / §6, FAPI 2.0 SP §5.3.2.2: must this client's authorization requests come through PAR? */
export function requiresPushedAuthorizationRequest(
  client: Pick<Client, 'metadata' | 'profile'>,
  settings: ServerSettings,
): boolean {
  return (
    settings.require_pushed_authorization_requests ||
    client.metadata.require_pushed_authorization_requests ||
    client.profile === 'fapi2'
  );
}

/** RFC 9449 §5.2, FAPI 2.0 SP §5.3.2.1: must this client's access tokens be DPoP-bound? */
export function requiresDpop(client: Client): boolean {
  return client.metadata.dpop_bound_access_tokens || client.profile === 'fapi2';
}

/** Client authentication methods this client may use at all, whatever it registered. */
export function allowedAuthMethods(client: Client): readonly TokenEndpointAuthMethod[] {
  // FAPI 2.0 SP §5.3.2.1: confidential clients only, authenticated with private_key_jwt (or MTLS,
  // which the lab does not offer).
  if (client.profile === 'fapi2') return ['private_key_jwt'];
  return ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];
}

/** Seconds an authorization code issued to this client lives: the setting, capped at 60 s under fapi2. */
export function maxAuthorizationCodeLifetime(client: Client, settings: ServerSettings): number {
  const configured = settings.authorization_code_lifetime;
  // FAPI 2.0 SP §5.3.2.1: at most 60 seconds, whatever the lab is configured to.
  return client.profile === 'fapi2'
    ? Math.min(configured, FAPI2_MAX_AUTHORIZATION_CODE_LIFETIME)
    : configured;
}

export interface RefreshTokenRotation {
  /** Whether a refresh issues a new refresh token and retires the presented one. */
  readonly rotate: boolean;
  /** Seconds the retired token stays usable, so that a lost response can be retried. */
  readonly graceSeconds: number;
}

/**
 * FAPI 2.0 SP §5.3.2.1: refresh tokens are not rotated, except in extraordinary circumstances. The lab
 * offers rotation only as an explicit server option (for both profiles), and then the previous token
 * stays usable for the grace window.
 */
export function refreshTokenRotation(_client: Client, settings: ServerSettings): RefreshTokenRotation {
  return settings.refresh_token_rotation
    ? { rotate: true, graceSeconds: settings.refresh_token_rotation_grace }
    : { rotate: false, graceSeconds: 0 };
}

import type { JSONWebKeySet } from 'jose';
import type { ClientConfig } from '../config/lab-config-schema';

/**
 * A registered client as the provider sees it: its metadata (RFC 7591 names), its public keys
 * resolved (registered or lab-generated), and its secret only as a digest for constant-time comparison.
 */
export interface Client {
  readonly client_id: string;
  readonly metadata: Readonly<Omit<ClientConfig, 'client_secret'>>;
  readonly profile: 'oidc' | 'fapi2';
  /** The client's public keys (private_key_jwt); the registered `jwks` or the lab-generated ones. */
  readonly jwks?: JSONWebKeySet;
  /** SHA-256 of `client_secret`, compared with crypto.timingSafeEqual. */
  readonly secretDigest?: Buffer;
  /** The space-separated `scope` metadata, split. */
  readonly allowedScopes: ReadonlySet<string>;
}

/** Looks up registered clients by client_id. */
export interface ClientDirectory {
  find(clientId: string): Client | undefined;
  all(): readonly Client[];
}

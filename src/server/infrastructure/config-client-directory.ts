import type { JSONWebKeySet } from 'jose';
import type { LabClientKeyStore } from '../application/ports';
import type { ClientConfig } from '../config/lab-config-schema';
import type { Client, ClientDirectory } from '../domain/client';
import { parseScope } from '../domain/scope';
import { sha256 } from '../domain/sha256';

/** The registered clients of the configuration, with lab-generated public keys resolved. */
export function createClientDirectory(
  configs: readonly ClientConfig[],
  labKeys: LabClientKeyStore,
): ClientDirectory {
  const clients = new Map<string, Client>();
  for (const config of configs) {
    const { client_secret, ...metadata } = config;
    const generated: JSONWebKeySet | undefined = labKeys.publicJwks(config.client_id);
    const jwks = config.jwks ?? generated;
    clients.set(config.client_id, {
      client_id: config.client_id,
      metadata: jwks ? { ...metadata, jwks: jwks as ClientConfig['jwks'] } : metadata,
      profile: config.profile,
      jwks,
      // The digest checkClientSecret compares a presented secret's with (RFC 6749 §2.3.1).
      secretDigest: client_secret ? sha256(client_secret) : undefined,
      allowedScopes: new Set(parseScope(config.scope)),
    });
  }
  const all = [...clients.values()];
  return { find: (id) => clients.get(id), all: () => all };
}

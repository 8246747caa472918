import { timingSafeEqual } from 'node:crypto';
import { verify } from '../../domain/check';
import type { Client } from '../../domain/client';
import { invalidClient } from '../../domain/oauth-error';
import { sha256 } from '../../domain/sha256';
import { clientAuthSecret } from './client-auth-check-specs';

/**
 * RFC 6749 §2.3.1: compares SHA-256 digests with timingSafeEqual, so neither the secret's content nor
 * its length shows in the time taken (DESIGN.md, "Security defaults").
 */
export function checkClientSecret(client: Client, secret: string): void {
  const presented = sha256(secret);
  const expected = client.secretDigest;
  verify(
    clientAuthSecret,
    expected !== undefined && expected.length === presented.length && timingSafeEqual(presented, expected),
    () => invalidClient('client authentication failed'),
  );
}

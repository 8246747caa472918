import type { Grant, RefreshToken } from './entities';

/**
 * Whether a refresh token can still be used, as the token endpoint and introspection must agree
 * (RFC 6749 §6, RFC 7662 §2.2): issued under a live grant, neither revoked nor expired, and — when it
 * was rotated away (the lab's rotation option) — still within its retry window.
 */
export function isRefreshTokenUsable(
  token: RefreshToken,
  grant: Grant | undefined,
  now: number,
  rotationGraceSeconds: number,
): boolean {
  if (token.revokedAt !== undefined || token.expiresAt <= now) return false;
  if (!grant || grant.revokedAt !== undefined) return false;
  return token.rotatedAt === undefined || now - token.rotatedAt <= rotationGraceSeconds * 1000;
}

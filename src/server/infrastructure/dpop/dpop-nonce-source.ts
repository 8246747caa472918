import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../domain/clock';

/** Server-provided DPoP nonces (RFC 9449 §8). */
export interface DpopNonceSource {
  /** The nonce to hand out now (in a `DPoP-Nonce` header). */
  current(): string;
  /** Whether `nonce` is the current one or the one of the previous period. */
  isValid(nonce: string): boolean;
}

/**
 * Stateless nonces: the HMAC of a time slot under a random key drawn when the process starts, so no
 * storage is needed and a restart invalidates them all. The nonce of the previous slot stays valid,
 * so a nonce is accepted for between one and two lifetimes and a client that just received one is
 * not refused at a slot boundary.
 */
export function createDpopNonceSource(options: {
  clock: Clock;
  lifetimeSeconds: number;
  /** For tests; a fresh random key otherwise. */
  key?: Buffer;
}): DpopNonceSource {
  const key = options.key ?? randomBytes(32);
  const periodMs = options.lifetimeSeconds * 1000;
  // The last two slots' nonces, to avoid recomputing an HMAC on every request.
  const memo = new Map<number, Buffer>();

  const nonceOf = (slot: number): Buffer => {
    let nonce = memo.get(slot);
    if (!nonce) {
      nonce = Buffer.from(createHmac('sha256', key).update(`dpop-nonce:${slot}`).digest('base64url'));
      memo.set(slot, nonce);
      for (const old of memo.keys()) if (old < slot - 1) memo.delete(old);
    }
    return nonce;
  };
  const slotNow = () => Math.floor(options.clock.now() / periodMs);
  const matches = (candidate: Buffer, slot: number) => {
    const expected = nonceOf(slot);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  };

  return {
    current: () => nonceOf(slotNow()).toString(),
    isValid: (nonce) => {
      const candidate = Buffer.from(nonce);
      const slot = slotNow();
      return matches(candidate, slot) || matches(candidate, slot - 1);
    },
  };
}

import bcrypt from 'bcryptjs';
import type { PasswordHasher } from '../application/ports';

/** bcrypt's work factor: 2^10 rounds, about 50–100 ms per hash here; enough for a lab's users. */
export const BCRYPT_COST = 10;

/**
 * Passwords with bcrypt (DESIGN.md, "Security defaults"). Only the async API: the sync one would
 * block the event loop, and with it every other request, for the whole hash.
 * bcrypt reads at most 72 bytes of the password; longer passwords are compared on that prefix.
 */
export class BcryptPasswordHasher implements PasswordHasher {
  constructor(private readonly cost: number = BCRYPT_COST) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: string, hash: string): Promise<boolean> {
    try {
      return await bcrypt.compare(password, hash);
    } catch {
      // A malformed stored hash never verifies; it is not the caller's input that is wrong.
      return false;
    }
  }
}

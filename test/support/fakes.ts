import type { ReplayCache } from '../../src/server/application/ports';
import { clientSchema } from '../../src/server/config/lab-config-schema';
import type { Client } from '../../src/server/domain/client';
import type { Clock } from '../../src/server/domain/clock';
import { createClientDirectory } from '../../src/server/infrastructure/config-client-directory';

/** A clock the test moves by hand. */
export class FakeClock implements Clock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** Remembers every entry until its expiry; `capacity` live entries at most (then 'full', never evicting). */
export class InMemoryReplayCache implements ReplayCache {
  readonly entries = new Map<string, number>();
  constructor(
    private readonly clock: Clock,
    private readonly capacity = 1000,
  ) {}
  remember(namespace: string, jti: string, expiresAt: number): 'new' | 'replayed' | 'full' {
    const key = `${namespace}\u0000${jti}`;
    const now = this.clock.now();
    for (const [k, exp] of this.entries) if (exp <= now) this.entries.delete(k);
    if (this.entries.has(key)) return 'replayed';
    if (this.entries.size >= this.capacity) return 'full';
    this.entries.set(key, expiresAt);
    return 'new';
  }
}

/**
 * The client a registration in the lab configuration becomes: parsed by the configuration's schema
 * and resolved by the provider's own client directory (no lab-generated keys).
 */
export function configuredClient(registration: Record<string, unknown>): Client {
  const config = clientSchema.parse(registration);
  const noLabKeys = { privateJwks: () => [], publicJwks: () => undefined };
  const client = createClientDirectory([config], noLabKeys).find(config.client_id);
  if (!client) throw new Error(`${config.client_id} was not resolved`);
  return client;
}

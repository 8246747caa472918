import { describe, expect, it } from 'vitest';
import { logIn } from '../../../src/server/application/login';
import { createLoginThrottle } from '../../../src/server/application/login-throttle';
import type { ProviderContext } from '../../../src/server/application/provider-context';
import type { Interaction } from '../../../src/server/domain/entities';

/** Just enough of a provider for the login use case: a slow password check, and stores that accept. */
function context(): ProviderContext {
  const users = {
    verifyPassword: (_u: string, password: string) =>
      new Promise((resolve) =>
        setTimeout(() => resolve(password === 'right' ? { sub: 'alice' } : undefined), 20),
      ),
  };
  const store = { save() {} };
  return {
    clock: { now: () => 1_000_000 },
    settings: { session_lifetime: 3600 },
    users,
    repositories: { sessions: store, interactions: store },
  } as unknown as ProviderContext;
}

const interaction = { id: 'i1' } as Interaction;

describe('logIn and the throttle', () => {
  it('parallel wrong guesses cannot all pass the throttle before the first failure is recorded', async () => {
    const throttle = createLoginThrottle({ now: () => 1_000_000 });
    const ctx = context();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => logIn(ctx, throttle, interaction, 'alice', 'wrong')),
    );
    // Five free attempts, then every further one waits — even though all were sent at once.
    expect(results.filter((r) => r.kind === 'invalid_credentials')).toHaveLength(5);
    expect(results.filter((r) => r.kind === 'throttled')).toHaveLength(7);
  });

  it('a right password logs in and clears the count', async () => {
    const throttle = createLoginThrottle({ now: () => 1_000_000 });
    const ctx = context();
    for (let i = 0; i < 3; i++) await logIn(ctx, throttle, interaction, 'alice', 'wrong');
    expect((await logIn(ctx, throttle, interaction, 'alice', 'right')).kind).toBe('logged_in');
    expect(throttle.retryAfter('alice')).toBe(0);
  });
});

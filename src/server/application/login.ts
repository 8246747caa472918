import { epochSeconds } from '../domain/clock';
import type { Interaction, Session } from '../domain/entities';
import { hashHandle, newHandle } from '../domain/handles';
import type { User } from '../domain/user';
import type { LoginThrottle } from './login-throttle';
import type { ProviderContext } from './provider-context';

export type LoginResult =
  | {
      readonly kind: 'logged_in';
      readonly sessionId: string;
      readonly session: Session;
      readonly interaction: Interaction;
    }
  | { readonly kind: 'invalid_credentials' }
  | { readonly kind: 'throttled'; readonly retryAfterSeconds: number };

/**
 * Checks the user's password (bcrypt, never on the event loop synchronously) and opens a login
 * session. Repeated failures for one username are throttled; the answer never says which field was
 * wrong.
 */
export async function logIn(
  ctx: ProviderContext,
  throttle: LoginThrottle,
  interaction: Interaction,
  username: string,
  password: string,
): Promise<LoginResult> {
  const wait = throttle.retryAfter(username);
  if (wait > 0) return { kind: 'throttled', retryAfterSeconds: wait };
  // Counted as a failure before the (slow) password check, so that parallel guesses cannot all slip
  // through before the first failure is recorded; a success clears it.
  throttle.recordFailure(username);
  const user: User | undefined = await ctx.users.verifyPassword(username, password);
  if (!user) return { kind: 'invalid_credentials' };
  throttle.recordSuccess(username);
  const now = ctx.clock.now();
  const sessionId = newHandle();
  const session: Session = {
    idHash: hashHandle(sessionId),
    sub: user.sub,
    authTime: epochSeconds(ctx.clock),
    amr: ['pwd'],
    createdAt: now,
    expiresAt: now + ctx.settings.session_lifetime * 1000,
  };
  ctx.repositories.sessions.save(session);
  const updated: Interaction = { ...interaction, sub: user.sub, authTime: session.authTime };
  ctx.repositories.interactions.save(updated);
  return { kind: 'logged_in', sessionId, session, interaction: updated };
}

/** The live session a cookie names, if any. */
export function findSession(ctx: ProviderContext, sessionId: string | undefined): Session | undefined {
  if (!sessionId) return undefined;
  const session = ctx.repositories.sessions.find(hashHandle(sessionId));
  if (!session || session.endedAt !== undefined || session.expiresAt <= ctx.clock.now()) return undefined;
  return session;
}

import type { PasswordHasher } from '../application/ports';
import type { UserConfig } from '../config/lab-config-schema';
import type { User, UserDirectory } from '../domain/user';

/**
 * How long after start-up the passwords are hashed. bcrypt costs 50–100 ms of CPU per password, and
 * done at once it delayed the first answers of a freshly started server (cold start) by as much;
 * a login before then starts the hashing itself.
 */
export const PASSWORD_HASHING_DELAY_MS = 1000;

/**
 * The users of the configuration. Passwords come in clear from the file and are hashed with bcrypt
 * shortly after start-up, in the background, so that start-up does not wait for it; a login awaits
 * its hash. The clear password is dropped once hashing has started.
 */
export function createUserDirectory(
  configs: readonly UserConfig[],
  hasher: PasswordHasher,
  hashingDelayMs: number = PASSWORD_HASHING_DELAY_MS,
): UserDirectory {
  const users = new Map<string, User>();
  const clear = new Map<string, string>();
  for (const config of configs) {
    const user: User = {
      sub: config.sub ?? config.username,
      username: config.username,
      claims: config.claims,
    };
    users.set(config.username, user);
    clear.set(config.username, config.password);
  }
  const bySub = new Map([...users.values()].map((u) => [u.sub, u]));
  const all = [...users.values()];

  let hashed: { byUsername: Map<string, Promise<string>>; decoy: Promise<string> } | undefined;
  const startHashing = () => {
    if (!hashed) {
      clearTimeout(timer);
      hashed = {
        byUsername: new Map([...clear].map(([username, password]) => [username, hasher.hash(password)])),
        // A hash to compare unknown usernames against, so that their answer takes as long as a known one's.
        decoy: hasher.hash('decoy-password-for-unknown-users'),
      };
      clear.clear();
    }
    return hashed;
  };
  const timer = setTimeout(startHashing, hashingDelayMs);
  timer.unref();

  return {
    findByUsername: (username) => users.get(username),
    findBySub: (sub) => bySub.get(sub),
    all: () => all,
    async verifyPassword(username, password) {
      const { byUsername, decoy } = startHashing();
      const user = users.get(username);
      const hash = await (byUsername.get(username) ?? decoy);
      const ok = await hasher.verify(password, hash);
      return user && ok ? user : undefined;
    },
  };
}

import type { PasswordHasher } from '../application/ports';
import type { UserConfig } from '../config/lab-config-schema';
import type { User, UserDirectory } from '../domain/user';

/**
 * The users of the configuration. Passwords come in clear from the file and are hashed with bcrypt
 * when loaded — in the background, so that start-up does not wait for it; a login awaits its hash.
 * The clear password is dropped once hashed.
 */
export function createUserDirectory(configs: readonly UserConfig[], hasher: PasswordHasher): UserDirectory {
  const users = new Map<string, User>();
  const hashes = new Map<string, Promise<string>>();
  for (const config of configs) {
    const user: User = {
      sub: config.sub ?? config.username,
      username: config.username,
      claims: config.claims,
    };
    users.set(config.username, user);
    hashes.set(config.username, hasher.hash(config.password));
  }
  const bySub = new Map([...users.values()].map((u) => [u.sub, u]));
  // A hash to compare unknown usernames against, so that their answer takes as long as a known one's.
  const decoy = hasher.hash('decoy-password-for-unknown-users');
  const all = [...users.values()];
  return {
    findByUsername: (username) => users.get(username),
    findBySub: (sub) => bySub.get(sub),
    all: () => all,
    async verifyPassword(username, password) {
      const user = users.get(username);
      const hash = await (hashes.get(username) ?? decoy);
      const ok = await hasher.verify(password, hash);
      return user && ok ? user : undefined;
    },
  };
}

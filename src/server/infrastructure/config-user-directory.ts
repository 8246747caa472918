import type { PasswordHasher } from '../application/ports';
import type { UserConfig } from '../config/lab-config-schema';
import type { User, UserDirectory } from '../domain/user';

/**
 * The users of the configuration. Passwords come in clear from the file and are hashed with bcrypt at
 * the first login attempt: every password and the decoy at once, whichever username came, so that no
 * answer tells which users logged in before. Hashed at start-up, they cost 50–100 ms of CPU each to a
 * lab that nobody may log into, and left about 1.5 MB on its RSS at rest (what compiling and running
 * bcrypt leaves behind). The clear passwords held here are dropped once hashing has started; the
 * parsed configuration the server was started with holds them too, as the file does.
 */
export function createUserDirectory(configs: readonly UserConfig[], hasher: PasswordHasher): UserDirectory {
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
      hashed = {
        byUsername: new Map([...clear].map(([username, password]) => [username, hasher.hash(password)])),
        // A hash to compare unknown usernames against, so that their answer takes as long as a known one's.
        decoy: hasher.hash('decoy-password-for-unknown-users'),
      };
      clear.clear();
    }
    return hashed;
  };
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

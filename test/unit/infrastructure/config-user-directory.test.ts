import { describe, expect, it, vi } from 'vitest';
import type { PasswordHasher } from '../../../src/server/application/ports';
import { createUserDirectory } from '../../../src/server/infrastructure/config-user-directory';

/** A hasher that records what it was asked to hash; "hashes" are reversible tags, for the test only. */
function recordingHasher() {
  const hashed: string[] = [];
  const hasher: PasswordHasher = {
    hash: (password) => {
      hashed.push(password);
      return Promise.resolve(`hashed:${password}`);
    },
    verify: (password, hash) => Promise.resolve(hash === `hashed:${password}`),
  };
  return { hasher, hashed };
}

const users = [
  { username: 'alice', password: 'wonderland', claims: {} },
  { username: 'bob', password: 'builder', sub: 'bob-sub', claims: { name: 'Bob' } },
];

describe('createUserDirectory', () => {
  it('hashes nothing until the first login, then every password and the decoy, once', async () => {
    const { hasher, hashed } = recordingHasher();
    vi.useFakeTimers();
    let directory: ReturnType<typeof createUserDirectory>;
    try {
      directory = createUserDirectory(users, hasher);
      // However long the lab waits (no timer hashes behind its back).
      vi.advanceTimersByTime(10 * 60_000);
    } finally {
      vi.useRealTimers();
    }
    expect(hashed).toEqual([]);
    expect(await directory.verifyPassword('alice', 'wonderland')).toMatchObject({ username: 'alice' });
    expect(hashed).toEqual(['wonderland', 'builder', 'decoy-password-for-unknown-users']);
    expect(await directory.verifyPassword('bob', 'builder')).toMatchObject({ username: 'bob' });
    expect(hashed).toHaveLength(3);
  });

  it('an unknown username hashes everyone too: the first answer takes as long whoever asked', async () => {
    const { hasher, hashed } = recordingHasher();
    const directory = createUserDirectory(users, hasher);
    expect(await directory.verifyPassword('mallory', 'x')).toBeUndefined();
    expect(hashed).toEqual(['wonderland', 'builder', 'decoy-password-for-unknown-users']);
  });

  it('refuses a wrong password and an unknown user (checked against the decoy hash)', async () => {
    const { hasher } = recordingHasher();
    const verify = vi.spyOn(hasher, 'verify');
    const directory = createUserDirectory(users, hasher);
    expect(await directory.verifyPassword('alice', 'builder')).toBeUndefined();
    expect(await directory.verifyPassword('mallory', 'decoy-password-for-unknown-users')).toBeUndefined();
    expect(verify).toHaveBeenLastCalledWith(
      'decoy-password-for-unknown-users',
      'hashed:decoy-password-for-unknown-users',
    );
  });

  it('finds users by username and by sub', () => {
    const { hasher } = recordingHasher();
    const directory = createUserDirectory(users, hasher);
    expect(directory.findByUsername('bob')?.sub).toBe('bob-sub');
    expect(directory.findBySub('bob-sub')?.claims).toEqual({ name: 'Bob' });
    expect(directory.findBySub('alice')?.username).toBe('alice');
    expect(directory.all()).toHaveLength(2);
  });
});

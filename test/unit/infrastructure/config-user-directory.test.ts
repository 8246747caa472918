import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PasswordHasher } from '../../../src/server/application/ports';
import {
  createUserDirectory,
  PASSWORD_HASHING_DELAY_MS,
} from '../../../src/server/infrastructure/config-user-directory';

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
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not hash during start-up, and hashes every password (and the decoy) shortly after', () => {
    const { hasher, hashed } = recordingHasher();
    createUserDirectory(users, hasher);
    expect(hashed).toEqual([]);
    vi.advanceTimersByTime(PASSWORD_HASHING_DELAY_MS);
    expect(hashed).toEqual(['wonderland', 'builder', 'decoy-password-for-unknown-users']);
  });

  it('hashes at once when a login comes before the delay, and only once', async () => {
    const { hasher, hashed } = recordingHasher();
    const directory = createUserDirectory(users, hasher);
    expect(await directory.verifyPassword('alice', 'wonderland')).toMatchObject({ username: 'alice' });
    vi.advanceTimersByTime(PASSWORD_HASHING_DELAY_MS * 2);
    expect(hashed).toHaveLength(3);
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

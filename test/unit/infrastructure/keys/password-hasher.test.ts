import { describe, expect, it } from 'vitest';
import { BcryptPasswordHasher } from '../../../../src/server/infrastructure/password-hasher';

describe('BcryptPasswordHasher', () => {
  const hasher = new BcryptPasswordHasher();

  it('hashes with bcrypt at cost 10, salted, never the password in clear', async () => {
    const a = await hasher.hash('correct horse');
    const b = await hasher.hash('correct horse');
    expect(a).toMatch(/^\$2[aby]\$10\$/);
    expect(a).not.toContain('correct horse');
    expect(a).not.toBe(b);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct horse');
    expect(await hasher.verify('correct horse', hash)).toBe(true);
    expect(await hasher.verify('correct horsE', hash)).toBe(false);
    expect(await hasher.verify('', hash)).toBe(false);
  });

  it('rejects anything against a malformed hash', async () => {
    expect(await hasher.verify('x', 'not-a-bcrypt-hash')).toBe(false);
  });
});

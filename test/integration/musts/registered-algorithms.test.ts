import { decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAssertionType } from '../../../src/client';
import { MustsLab, expectOAuthError } from '../../support/musts-helpers';

/**
 * FAPI 2.0 SP §5.4.1, OpenID Connect Core §2 and RFC 7591 §2: a client registered for PS256 gets
 * PS256 ID tokens, and its assertions must be PS256.
 */
describe('MUST: the client’s registered algorithms (PS256 client)', () => {
  let lab: MustsLab;

  beforeAll(async () => {
    lab = await MustsLab.start({ alg: 'PS256' });
  });
  afterAll(() => lab?.close());

  /** A client_credentials request authenticated by `assertion`, with a valid DPoP proof. */
  const clientCredentialsWith = async (assertion: string) =>
    lab.post(
      '/token',
      {
        grant_type: 'client_credentials',
        client_assertion_type: clientAssertionType,
        client_assertion: assertion,
      },
      { DPoP: await lab.proof(await lab.dpopKey(), 'POST', '/token') },
    );

  it('the ID token is signed PS256 with a kid', async () => {
    const tokens = await lab.fapiTokens();
    const header = decodeProtectedHeader(tokens.id_token as string);
    expect(header.alg).toBe('PS256');
    expect(header.kid).toEqual(expect.any(String));
  });

  it('an assertion whose header claims RS256 for the registered RSA key is refused', async () => {
    // The header says RS256 (the registered key is RSA): refused on the algorithm alone.
    const assertion = await lab.assertion({ headerOverrides: { alg: 'RS256' } });
    expectOAuthError(await clientCredentialsWith(assertion), 401, 'invalid_client');
  });

  it('an ES256 assertion (allowed by FAPI, but not the registered algorithm) is refused', async () => {
    const es = await generateKeyPair('ES256');
    const assertion = await lab.assertion({ key: es.privateKey, alg: 'ES256' });
    expectOAuthError(await clientCredentialsWith(assertion), 401, 'invalid_client');
  });
});

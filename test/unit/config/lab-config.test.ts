import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultLabConfigPath,
  LabConfigError,
  loadLabConfig,
  parseLabConfig,
} from '../../../src/server/config/load-lab-config';

/** A usable public key, for clients that authenticate with private_key_jwt. */
const realKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });

const client = (overrides: Record<string, unknown> = {}) => ({
  client_id: 'c1',
  client_secret: 'a-secret-of-sixteen-chars',
  redirect_uris: ['https://rp.example.com/cb'],
  token_endpoint_auth_method: 'client_secret_post',
  ...overrides,
});

const problemsOf = (value: unknown): string[] => {
  try {
    parseLabConfig(value, 'lab.json');
  } catch (e) {
    expect(e).toBeInstanceOf(LabConfigError);
    return [...(e as LabConfigError).problems];
  }
  throw new Error('expected the configuration to be refused');
};

describe('lab configuration', () => {
  it('accepts the shipped default configuration, with documented defaults filled in', () => {
    const config = loadLabConfig(defaultLabConfigPath());
    expect(config.clients.map((c) => c.client_id)).toEqual(['demo-standard', 'demo-fapi', 'demo-service']);
    expect(config.server.authorization_code_lifetime).toBe(60);
    expect(config.server.pushed_authorization_request_lifetime).toBeLessThan(600);
    expect(config.users.map((u) => u.username)).toEqual(['alice', 'bob']);
  });

  it('reports every problem at once, each with its field', () => {
    const problems = problemsOf({
      clients: [
        client({ redirect_uris: ['not a url'] }),
        client({ client_id: 'c2', token_endpoint_auth_method: 'x' }),
      ],
      users: [{ username: 'u' }],
      surprise: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^clients\[0\]\.redirect_uris\[0\]: /),
        expect.stringMatching(/^clients\[1\]\.token_endpoint_auth_method: /),
        expect.stringMatching(/^users\[0\]\.password: /),
        expect.stringMatching(/surprise/),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(4);
  });

  it('reports the rules of well-formed clients beside the problems of the schema, not after they are fixed', () => {
    const problems = problemsOf({
      server: { access_token_lifetime: -1 },
      clients: [client({ redirect_uris: ['https://rp.example/cb#fragment'] })],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^server\.access_token_lifetime: /),
        'clients[0].redirect_uris[0]: must not contain a fragment',
      ]),
    );
  });

  it('refuses a password longer than bcrypt reads (72 bytes of UTF-8), counted in bytes', () => {
    expect(problemsOf({ users: [{ username: 'a', password: 'é'.repeat(37) }] })).toEqual([
      'users[0].password: at most 72 bytes in UTF-8 (bcrypt reads no more)',
    ]);
    const accepted = parseLabConfig({ users: [{ username: 'a', password: 'é'.repeat(36) }] }, 'lab.json');
    expect(accepted.users[0]?.password).toBe('é'.repeat(36));
  });

  it('refuses duplicate client_ids and usernames', () => {
    const problems = problemsOf({
      clients: [client(), client()],
      users: [
        { username: 'a', password: 'p' },
        { username: 'a', password: 'q' },
      ],
    });
    // Once each: the shared username is not reported again as a shared sub.
    expect(problems).toEqual([
      'clients[1].client_id: duplicate client_id (also clients[0])',
      'users[1].username: duplicate username (also users[0])',
    ]);
  });

  it('refuses client_ids and usernames that differ only by letter case or Unicode normalization, naming both', () => {
    const user = (username: string) => ({ username, password: 'p' });
    const problems = problemsOf({
      server: { access_token_lifetime: -1 },
      clients: [client({ client_id: 'demo' }), client({ client_id: 'Demo' }), client({ client_id: 'Demo' })],
      // Zoë, decomposed (NFD) then composed (NFC).
      users: [user('alice'), user('ALICE'), user('Zoe\u0308'), user('zo\u00eb')],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^server\.access_token_lifetime: /),
      'users[2].username: must be in Unicode normalization form NFC',
      // An exact duplicate is reported as such, once.
      'clients[2].client_id: duplicate client_id (also clients[1])',
      'clients[1].client_id: differs from clients[0].client_id only by letter case or Unicode normalization',
      'users[1].username: differs from users[0].username only by letter case or Unicode normalization',
      'users[3].username: differs from users[2].username only by letter case or Unicode normalization',
    ]);
  });

  it('refuses whitespace around client ids, usernames and subs, control characters in them, client ids beyond printable ASCII (RFC 6749 Appendix A.1) and usernames not in NFC', () => {
    const problems = problemsOf({
      clients: [
        client({ client_id: ' c1' }),
        client({ client_id: 'c2\u001b[31m' }),
        client({ client_id: 'clé' }),
        client({ client_id: 'two words' }),
      ],
      users: [
        { username: 'alice\t', password: 'p' },
        { username: 'bob\u0085', password: 'p', sub: '\u00a0bob' },
        { username: 'carol', password: 'p', sub: 'carol\u007f' },
        { username: 'Zoe\u0308', password: 'p' },
        { username: 'Chloë', password: 'p' },
      ],
    });
    expect(problems).toEqual([
      'clients[0].client_id: must not begin or end with whitespace',
      'clients[1].client_id: printable ASCII characters only (RFC 6749 Appendix A.1)',
      'clients[2].client_id: printable ASCII characters only (RFC 6749 Appendix A.1)',
      'users[0].username: must not begin or end with whitespace',
      'users[0].username: must not contain control characters',
      'users[1].username: must not contain control characters',
      'users[1].sub: must not begin or end with whitespace',
      'users[2].sub: must not contain control characters',
      'users[3].username: must be in Unicode normalization form NFC',
    ]);
  });

  it('refuses two users with one sub, a username standing for an absent sub (OpenID Connect Core §2)', () => {
    const user = (username: string, sub?: string) => ({ username, password: 'p', ...(sub ? { sub } : {}) });
    expect(
      problemsOf({
        server: { access_token_lifetime: -1 },
        users: [user('alice'), user('bob', 'alice'), user('carol', 's-1'), user('dave', 's-1'), user('s-1')],
      }),
    ).toEqual([
      expect.stringMatching(/^server\.access_token_lifetime: /),
      'users[1].sub: duplicate sub (also users[0], whose username is its sub)',
      'users[3].sub: duplicate sub (also users[2])',
      'users[4].username: duplicate sub: with no sub, its username is its sub (also users[2])',
    ]);
    // A sub is a case-sensitive string (OpenID Connect Core §2), and may repeat its own username.
    const accepted = parseLabConfig(
      { users: [user('alice', 'alice'), user('bob', 'S-1'), user('s-1')] },
      'x',
    );
    expect(accepted.users).toHaveLength(3);
  });

  it('holds fapi2 clients to private_key_jwt and strong algorithms (FAPI 2.0 SP §5.3.2.1, §5.4.1)', () => {
    const problems = problemsOf({
      clients: [client({ profile: 'fapi2', id_token_signed_response_alg: 'RS256' })],
    });
    expect(problems.join('\n')).toMatch(
      /token_endpoint_auth_method: the fapi2 profile requires private_key_jwt/,
    );
    expect(problems.join('\n')).toMatch(/id_token_signed_response_alg: the fapi2 profile allows only PS256/);
  });

  it('under fapi2, refuses http redirect URIs but a native client’s loopback IP ones (FAPI 2.0 SP §5.3.2.2, RFC 8252 §7.3)', () => {
    const fapi = (id: string, application_type: string, redirect_uris: string[]) =>
      client({
        client_id: id,
        client_secret: undefined,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [realKey] },
        profile: 'fapi2',
        application_type,
        redirect_uris,
        post_logout_redirect_uris: ['http://127.0.0.1/bye'],
      });
    const problems = problemsOf({
      clients: [
        fapi('web', 'web', ['http://127.0.0.1/cb']),
        fapi('native-localhost', 'native', ['http://localhost/cb']),
        fapi('native-loopback', 'native', [
          'http://127.0.0.1/cb',
          'http://[::1]/cb',
          'https://rp.example.com/cb',
        ]),
        client({ client_id: 'oidc-web', redirect_uris: ['http://127.0.0.1/cb'] }),
      ],
    });
    const fapiHttp = /under fapi2, http is only for a native client's loopback redirect URI/;
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^clients\[0\]\.redirect_uris\[0\]: /);
    expect(problems[0]).toMatch(fapiHttp);
    expect(problems[1]).toMatch(/^clients\[1\]\.redirect_uris\[0\]: /);
    expect(problems[1]).toMatch(fapiHttp);
  });

  it('refuses private key material in a registered jwks, and plain http redirect URIs off loopback', () => {
    const problems = problemsOf({
      clients: [
        client({
          token_endpoint_auth_method: 'private_key_jwt',
          client_secret: undefined,
          jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }] },
          redirect_uris: ['http://rp.example.com/cb'],
        }),
      ],
    });
    expect(problems.join('\n')).toMatch(/clients\[0\]\.jwks\.keys\[0\]: holds private key material \(d\)/);
    expect(problems.join('\n')).toMatch(
      /clients\[0\]\.redirect_uris\[0\]: http is only allowed for loopback/,
    );
  });

  it('refuses a registered key that could verify nothing, and accepts a real one', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const real = publicKey.export({ format: 'jwk' });
    const keyClient = (key: Record<string, unknown>) =>
      client({
        token_endpoint_auth_method: 'private_key_jwt',
        client_secret: undefined,
        jwks: { keys: [key] },
      });
    const problemOf = (key: Record<string, unknown>) => problemsOf({ clients: [keyClient(key)] });

    expect(problemOf({ ...real, x: `é${String(real.x)}` })).toEqual([
      'clients[0].jwks.keys[0]: x must be a base64url string',
    ]);
    expect(problemOf({ ...real, y: `${String(real.y)}=` })).toEqual([
      'clients[0].jwks.keys[0]: y must be a base64url string',
    ]);
    expect(problemOf({ kty: 'EC' })).toEqual(['clients[0].jwks.keys[0]: x must be a base64url string']);
    // The members of an EC key under kty RSA.
    expect(problemOf({ ...real, kty: 'RSA' })).toEqual([
      'clients[0].jwks.keys[0]: n must be a base64url string',
    ]);
    expect(problemOf({ ...real, crv: 'P-999' })).toEqual([
      expect.stringMatching(/^clients\[0\]\.jwks\.keys\[0\]: not a usable public key \(/),
    ]);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    expect(problemOf(short)).toEqual([
      'clients[0].jwks.keys[0]: an RSA key of 1024 bits: at least 2048 are needed',
    ]);
    // Refused at start, rather than at each client authentication (importPublicJwk refuses it too).
    const rsa2048 = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    expect(problemOf({ ...rsa2048, e: Buffer.alloc(33, 0xff).toString('base64url') })).toEqual([
      'clients[0].jwks.keys[0]: too large to verify with: an RSA exponent of more than 256 bits',
    ]);
    expect(parseLabConfig({ clients: [keyClient(real)] }, 'lab.json').clients[0]?.jwks?.keys).toHaveLength(1);
  });

  it('refuses a token_endpoint_auth_signing_alg none of the client’s keys signs with', () => {
    const jwtClient = (extra: Record<string, unknown>) =>
      client({ token_endpoint_auth_method: 'private_key_jwt', client_secret: undefined, ...extra });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    expect(
      problemsOf({
        clients: [jwtClient({ token_endpoint_auth_signing_alg: 'PS256', lab: { generate_keys: ['ES256'] } })],
      }),
    ).toEqual([
      'clients[0].token_endpoint_auth_signing_alg: PS256, but none of its keys signs with it (lab.generate_keys: ES256)',
    ]);
    expect(
      problemsOf({
        clients: [jwtClient({ token_endpoint_auth_signing_alg: 'PS256', jwks: { keys: [realKey] } })],
      }),
    ).toEqual([
      'clients[0].token_endpoint_auth_signing_alg: PS256, but none of its keys signs with it (jwks)',
    ]);
    // A key that fits the algorithm, generated or registered; not one whose own alg is another.
    const accepted = (extra: Record<string, unknown>) =>
      parseLabConfig({ clients: [jwtClient(extra)] }, 'lab.json');
    expect(() =>
      accepted({ token_endpoint_auth_signing_alg: 'PS256', lab: { generate_keys: ['ES256', 'PS256'] } }),
    ).not.toThrow();
    expect(() => accepted({ token_endpoint_auth_signing_alg: 'PS256', jwks: { keys: [rsa] } })).not.toThrow();
    expect(
      problemsOf({
        clients: [
          jwtClient({
            token_endpoint_auth_signing_alg: 'ES256',
            jwks: { keys: [{ ...realKey, alg: 'ES384' }] },
          }),
        ],
      }),
    ).toHaveLength(1);
  });

  it('requires a secret for client_secret_* and keys for private_key_jwt', () => {
    const problems = problemsOf({
      clients: [
        client({ client_secret: undefined }),
        client({ client_id: 'c2', client_secret: undefined, token_endpoint_auth_method: 'private_key_jwt' }),
      ],
    });
    expect(problems.join('\n')).toMatch(/clients\[0\]\.client_secret: required/);
    expect(problems.join('\n')).toMatch(/clients\[1\]\.jwks: required for private_key_jwt/);
  });

  it('refuses a client_secret beyond printable ASCII (RFC 6749 Appendix A.2)', () => {
    const problems = problemsOf({
      clients: [
        client({ client_secret: 'a-secret-of-sixteen-chars-é' }),
        client({ client_id: 'c2', client_secret: 'a-secret-of-sixteen\tchars' }),
        client({ client_id: 'c3', client_secret: 'a secret of sixteen chars ~' }),
      ],
    });
    expect(problems).toEqual([
      'clients[0].client_secret: printable ASCII characters only (RFC 6749 Appendix A.2)',
      'clients[1].client_secret: printable ASCII characters only (RFC 6749 Appendix A.2)',
    ]);
  });

  it('names the file when it cannot be read or is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "clients": [ }');
    expect(() => loadLabConfig(broken)).toThrow(/broken\.json: invalid configuration\n\s+- not valid JSON/);
    expect(() => loadLabConfig(join(dir, 'missing.json'))).toThrow(
      /missing\.json: invalid configuration\n.*ENOENT/,
    );
  });

  it('says where the JSON breaks without quoting the text around it, which may be a secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
    const file = join(dir, 'leaky.json');
    writeFileSync(file, '{\n  "clients": [{ "client_secret": TOPSECRET-value }]\n}');
    expect(() => loadLabConfig(file)).toThrow(/not valid JSON at line 2, column 34/);
    expect(() => loadLabConfig(file)).not.toThrow(/TOPSECRET/);
  });

  it('refuses a file that is not UTF-8, and a username with a lone surrogate', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
    const latin1 = join(dir, 'latin1.json');
    writeFileSync(latin1, Buffer.from('{"users":[{"username":"caf\xe9"}]}', 'latin1'));
    expect(() => loadLabConfig(latin1)).toThrow(/cannot read the file \(not valid UTF-8\)/);
    const problems = problemsOf({
      users: [{ username: 'al\ud800ice', password: 'wonderland', claims: {} }],
    });
    expect(problems).toContainEqual(expect.stringMatching(/^users\[0\]\.username: .*lone surrogate/));
  });

  it('reads only a regular file of at most 16 MB: not a FIFO, a device or a directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-config-'));
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    // Opened without blocking: a FIFO no one writes to would otherwise hold the command forever.
    expect(() => loadLabConfig(fifo)).toThrow(/cannot read the file \(not a regular file\)/);
    expect(() => loadLabConfig('/dev/zero')).toThrow(/cannot read the file \(not a regular file\)/);
    expect(() => loadLabConfig(dir)).toThrow(/cannot read the file \(not a regular file\)/);
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 16 * 1024 * 1024 + 1);
    expect(() => loadLabConfig(huge)).toThrow(/cannot read the file \(larger than 16 MB\)/);
  });

  it('keeps the PAR lifetime under 600 s (FAPI 2.0 SP §5.3.2.2)', () => {
    const problems = problemsOf({ server: { pushed_authorization_request_lifetime: 600 } });
    expect(problems.join('\n')).toMatch(/server\.pushed_authorization_request_lifetime/);
  });
});

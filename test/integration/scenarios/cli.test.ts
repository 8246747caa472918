import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { runScenariosCommand } from '../../../src/cli/commands/scenarios';

function capture() {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
    },
    out: () => stdout,
    err: () => stderr,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'trusty-scenarios-'));
const scenarioFile = (scenarios: unknown[]): string => {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ scenarios }));
  return file;
};

const wrongExpectation = {
  id: 'wrong-on-purpose',
  title: 'Code exchanged without verifier, expected to succeed (wrong on purpose)',
  flow: 'fapi2',
  request: 'token',
  mutations: [{ removeParameter: 'code_verifier' }],
  expected: { success: true },
};
const rightExpectation = {
  ...wrongExpectation,
  id: 'right-on-purpose',
  expected: { status: 400, error: ['invalid_grant', 'invalid_request'] },
};

describe('trusty-lab scenarios', () => {
  it('exits 0 when every outcome is as expected, with progress lines, the summary and reports', async () => {
    const c = capture();
    const junit = join(dir, 'out.xml');
    const json = join(dir, 'out.json');
    const code = await runScenariosCommand(
      [
        'run',
        '--only',
        'pkce-wrong-verifier,right-on-purpose,code-expired',
        '--scenarios',
        scenarioFile([rightExpectation]),
        '--junit',
        junit,
        '--json',
        json,
      ],
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const lines = c.out().trim().split('\n');
    expect(lines[0]).toMatch(/^running 3 scenarios against /);
    expect(lines).toContain('3 passed, 0 failed, 0 skipped');
    expect(lines.at(-1)).toBe('3 passed, 0 failed, 0 skipped');
    expect(lines.some((l) => l.startsWith('✓ pkce-wrong-verifier'))).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit, 'utf8')) as {
      testsuites: { '@_tests': string; '@_failures': string };
    };
    expect(xml.testsuites['@_tests']).toBe('3');
    expect(xml.testsuites['@_failures']).toBe('0');
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      summary: unknown;
      results: { recordingId?: string }[];
    };
    expect(report.summary).toEqual({ passed: 3, failed: 0, skipped: 0 });
    expect(report.results.every((r) => typeof r.recordingId === 'string')).toBe(true);
  }, 60_000);

  it('exits 1 when one outcome differs from the expectation, and says expected vs actual', async () => {
    const c = capture();
    const code = await runScenariosCommand(
      ['run', '--only', 'wrong-on-purpose', '--scenarios', scenarioFile([wrongExpectation])],
      c.io,
    );
    expect(code).toBe(1);
    expect(c.out()).toMatch(/^running 1 scenario against http:\/\/127\.0\.0\.1:\d+\n/);
    expect(c.out()).toMatch(/✗ wrong-on-purpose .*\n\s+expected success, actual 400 invalid_(grant|request)/);
    expect(c.out().trim().split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped');
  }, 60_000);

  it('exits 2 on usage errors: unknown subcommand, unknown option, invalid scenario file, --issuer without config', async () => {
    for (const argv of [
      ['frobnicate'],
      ['run', '--bogus'],
      ['run', '--scenarios', scenarioFile([{ id: 'Not Kebab', flow: 'nope' }])],
      ['run', '--issuer', 'http://127.0.0.1:1'],
      ['run', '--only', 'no-such-scenario-*'],
      ['run', '--only', ''],
      // Not URLs, though they start like one.
      ['run', '--issuer', 'http://', '--client-config', 'unused.json'],
      ['run', '--issuer', 'http://[bad', '--client-config', 'unused.json'],
      ['run', '--issuer', 'http://127.0.0.1:99999', '--client-config', 'unused.json'],
      // Reports that could not be written are refused before the run.
      ['run', '--only', 'code-reused', '--junit', dir],
      ['run', '--only', 'code-reused', '--json', join(dir, 'no-such-directory', 'report.json')],
      ['run', '--only', 'code-reused', '--json', ''],
      // Reports and targets are of a run.
      ['list', '--junit', join(dir, 'list.xml')],
      ['list', '--json', join(dir, 'list.json')],
      ['list', '--config', 'unused.json'],
      // --config sets up the in-process provider, which --issuer replaces.
      ['run', '--config', 'unused.json', '--issuer', 'http://127.0.0.1:1', '--client-config', 'unused.json'],
    ]) {
      const c = capture();
      expect(await runScenariosCommand(argv, c.io), argv.join(' ')).toBe(2);
      expect(c.err()).not.toBe('');
    }
  });

  it('runs against an in-process provider set up by --config, and exits 2 naming a bad one', async () => {
    const config = JSON.parse(
      readFileSync(new URL('../../../resources/lab-config.json', import.meta.url), 'utf8'),
    ) as { server: Record<string, unknown> };
    config.server.require_pushed_authorization_requests = true;
    const file = join(dir, 'par-lab-config.json');
    writeFileSync(file, JSON.stringify(config));
    const c = capture();
    // With PAR required of every client, the front-channel PKCE scenario is skipped, saying why.
    const argv = ['run', '--config', file, '--only', 'pkce-missing-challenge-front-channel'];
    expect(await runScenariosCommand(argv, c.io)).toBe(0);
    expect(c.out()).toContain('the standard client must use PAR there');
    expect(c.out().trim().split('\n').at(-1)).toBe('0 passed, 0 failed, 1 skipped');

    const broken = join(dir, 'broken-lab-config.json');
    writeFileSync(broken, JSON.stringify({ clients: [{ client_id: '' }] }));
    const b = capture();
    expect(await runScenariosCommand(['run', '--config', broken], b.io)).toBe(2);
    expect(b.err()).toContain(broken);
  });

  it('exits 2 on a client config that does not fit its format, and says what is wrong in it', async () => {
    const file = join(dir, 'client-config.json');
    const fapi = { client_id: 'fapi', token_endpoint_auth_method: 'private_key_jwt', private_jwks: [] };
    writeFileSync(file, JSON.stringify({ clients: { fapi } }));
    const c = capture();
    const argv = ['run', '--issuer', 'http://127.0.0.1:1', '--client-config', file];
    expect(await runScenariosCommand(argv, c.io)).toBe(2);
    expect(c.err()).toContain('private_key_jwt needs at least one private JWK (with d)');

    // A key that cannot sign with its alg is named, with its path, before anything runs.
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' });
    const service = { ...fapi, private_jwks: [{ ...p384, alg: 'ES256' }] };
    writeFileSync(file, JSON.stringify({ clients: { service } }));
    const wrongCurve = capture();
    expect(await runScenariosCommand(argv, wrongCurve.io)).toBe(2);
    expect(wrongCurve.err()).toContain(
      'ES256 needs kty EC with crv P-256\n  → at clients.service.private_jwks[0]',
    );
    expect(wrongCurve.out()).toBe('');
  });

  it('exits 2 before any scenario when the lab of the client config cannot be used, and says why', async () => {
    const key = {
      ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    };
    const service = {
      client_id: 'service',
      token_endpoint_auth_method: 'private_key_jwt',
      private_jwks: [{ ...key, kid: 'k1', alg: 'ES256' }],
      scope: 'accounts',
    };
    // A lab that refuses the secret, and an origin where nothing listens (the same port, closed).
    const lab = createServer((_req, res) => res.writeHead(401).end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => lab.once('listening', resolve));
    const origin = `http://127.0.0.1:${(lab.address() as { port: number }).port}`;
    const file = join(dir, 'client-config-lab.json');
    const runWithLab = async () => {
      writeFileSync(file, JSON.stringify({ clients: { service }, lab: { origin, secret: 'wrong' } }));
      const c = capture();
      const code = await runScenariosCommand(
        ['run', '--issuer', 'http://127.0.0.1:1', '--client-config', file],
        c.io,
      );
      return { code, out: c.out(), err: c.err() };
    };

    const refused = await runWithLab();
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      `trusty-lab scenarios: the lab API at ${origin} cannot be used: lab API GET /lab/api/session: 401 \n`,
    );
    expect(refused.out).toBe('');

    await new Promise((resolve) => lab.close(resolve));
    const unreachable = await runWithLab();
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toBe(
      `trusty-lab scenarios: the lab API at ${origin} cannot be used: fetch failed (ECONNREFUSED)\n`,
    );
    expect(unreachable.out).toBe('');
  });

  it('lists the catalogue', async () => {
    const c = capture();
    expect(await runScenariosCommand(['list', '--only', 'dpop-resource-*'], c.io)).toBe(0);
    expect(c.out()).toContain('dpop-resource-token-as-bearer\tdpop-resource\t');
  });
});

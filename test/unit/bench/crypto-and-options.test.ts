import { createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../../src/bench/bench-options';
import { accessTokenHash, generateEs256Key, jwkThumbprint, signEs256 } from '../../../src/bench/compact-jws';
import { limitsOf } from '../../../src/bench/crypto-limit';
import { sseEventCounter } from '../../../src/bench/event-stream-reader';
import { dpopProof } from '../../../src/bench/proofs';
import { assertLoopback } from '../../../src/bench/server-process';
import { SERVE_NODE_OPTIONS } from '../../../src/cli/serve-node-options';
import { calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';

describe('limitsOf', () => {
  it('turns per-operation microseconds into requests per second of one core', () => {
    const costs = { verifyAssertionUs: 100, verifyProofWithEmbeddedJwkUs: 200, signTokenUs: 150, hashUs: 50 };
    const limits = limitsOf(costs);
    expect(limits.clientCredentialsPerSecond).toBeCloseTo(1e6 / 500);
    // The code exchange also signs an ID token and hashes the code.
    expect(limits.authorizationCodePerSecond).toBeCloseTo(1e6 / 700);
  });
});

describe('the generator’s ES256 signer', () => {
  it('makes a JWS that jose verifies with the public JWK', async () => {
    const key = generateEs256Key();
    const jws = signEs256({ alg: 'ES256' }, { hello: 'world' }, key.privateKey);
    const { payload } = await compactVerify(jws, await importJWK({ ...key.publicJwk }, 'ES256'));
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: 'world' });
  });
  it('produces raw r||s signatures (64 bytes), not DER', () => {
    const key = generateEs256Key();
    const jws = signEs256({ alg: 'ES256' }, {}, key.privateKey);
    const [h, p, s] = jws.split('.');
    expect(Buffer.from(s ?? '', 'base64url')).toHaveLength(64);
    const ok = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: createPublicKey({ key: key.publicJwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(s ?? '', 'base64url'),
    );
    expect(ok).toBe(true);
  });
  it('computes the RFC 7638 thumbprint as jose does', async () => {
    const key = generateEs256Key();
    expect(jwkThumbprint(key.publicJwk)).toBe(await calculateJwkThumbprint({ ...key.publicJwk }, 'sha256'));
  });
});

describe('dpopProof', () => {
  it('carries typ dpop+jwt, the public jwk, a fresh iat, a unique jti, and ath when given a token', () => {
    const key = generateEs256Key();
    const a = dpopProof(key, 'GET', 'http://127.0.0.1:1/userinfo', 'token-value');
    const b = dpopProof(key, 'GET', 'http://127.0.0.1:1/userinfo');
    const header = decodeProtectedHeader(a);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.jwk).toEqual(key.publicJwk);
    const claims = decodeJwt(a);
    expect(claims.ath).toBe(accessTokenHash('token-value'));
    expect(Math.abs((claims.iat ?? 0) - Date.now() / 1000)).toBeLessThan(5);
    expect(claims.jti).not.toBe(decodeJwt(b).jti);
    expect(decodeJwt(b).ath).toBeUndefined();
  });
});

describe('parseBenchOptions', () => {
  it('has bounded defaults', () => {
    const o = parseBenchOptions([]);
    expect(o).toMatchObject({ concurrency: 16, durationSeconds: 0.5, rounds: 12, capture: [true, false] });
    expect(o.scenarios).toContain('client_credentials');
  });
  it('refuses unbounded or unknown values', () => {
    expect(() => parseBenchOptions(['--duration', '0'])).toThrow(/--duration/);
    expect(() => parseBenchOptions(['--concurrency', '100000'])).toThrow(/--concurrency/);
    expect(() => parseBenchOptions(['--scenarios', 'discovery,nope'])).toThrow(/nope/);
    expect(() => parseBenchOptions(['--capture', 'maybe'])).toThrow(/--capture/);
  });
  it("starts the server's node as npm run serve does, as the trusty-lab command does with --node-defaults", () => {
    expect(parseBenchOptions([]).serverNodeOptions).toEqual(SERVE_NODE_OPTIONS);
    expect(parseBenchOptions(['--node-defaults']).serverNodeOptions).toEqual([]);
    // A flag to try comes after them: node takes the last of a repeated V8 flag.
    expect(parseBenchOptions(['--server-node-option=--max-semi-space-size=4']).serverNodeOptions).toEqual([
      ...SERVE_NODE_OPTIONS,
      '--max-semi-space-size=4',
    ]);
  });
  it('runs one capture mode when asked', () => {
    expect(parseBenchOptions(['--capture', 'off']).capture).toEqual([false]);
  });
  it('times the lab UI by default, skips it with --ui-samples 0, and bounds it', () => {
    expect(parseBenchOptions([]).uiSamples).toBe(20);
    expect(parseBenchOptions(['--ui-samples', '0']).uiSamples).toBe(0);
    expect(() => parseBenchOptions(['--ui-samples', '-1'])).toThrow(/--ui-samples/);
    expect(() => parseBenchOptions(['--ui-samples', '1000'])).toThrow(/--ui-samples/);
  });
  it('takes --against as a directory holding a build’s launcher, and refuses one without it', () => {
    const build = mkdtempSync(join(tmpdir(), 'bench-against-'));
    try {
      expect(parseBenchOptions([]).against).toBeUndefined();
      expect(() => parseBenchOptions(['--against', build])).toThrow(/no trusty-lab\.js there/);
      writeFileSync(join(build, 'trusty-lab.js'), '');
      expect(parseBenchOptions(['--against', build]).against).toBe(resolve(build));
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  });
  it('runs the modes’ windows in turn unless --paired', () => {
    expect(parseBenchOptions([]).paired).toBe(false);
    expect(parseBenchOptions(['--paired']).paired).toBe(true);
    expect(() => parseBenchOptions(['--paired=yes'])).toThrow();
  });
  it('keeps each mode’s server for the whole run unless --restart, which a viewer cannot join', () => {
    expect(parseBenchOptions([]).restart).toBe(false);
    expect(parseBenchOptions(['--restart']).restart).toBe(true);
    expect(parseBenchOptions(['--restart', '--paired']).paired).toBe(true);
    expect(() => parseBenchOptions(['--restart', '--viewer'])).toThrow(/cannot be combined/);
  });
  it('keeps the lab UI’s event stream closed unless --viewer', () => {
    expect(parseBenchOptions([]).viewer).toBe(false);
    expect(parseBenchOptions(['--viewer']).viewer).toBe(true);
    expect(() => parseBenchOptions(['--viewer=yes'])).toThrow();
  });
});

describe('sseEventCounter', () => {
  it('counts lab events, lines split between chunks included, and nothing else', () => {
    const counter = sseEventCounter();
    counter.push(': trusty-lab events\n\nevent: lab\nid: 1\ndata: {}\n\nev');
    expect(counter.count).toBe(1);
    counter.push('ent: lab\r\nid: 2\ndata: {"event: lab":1}\n\n: heartbeat\n\nevent: la');
    expect(counter.count).toBe(2);
    counter.push('bel\n');
    expect(counter.count).toBe(2);
  });
});

describe('assertLoopback', () => {
  it('accepts loopback origins only', () => {
    expect(() => assertLoopback('http://127.0.0.1:4000')).not.toThrow();
    expect(() => assertLoopback('http://[::1]:4000')).not.toThrow();
    expect(() => assertLoopback('http://192.168.1.2:4000')).toThrow(/non-loopback/);
    expect(() => assertLoopback('http://example.com')).toThrow(/non-loopback/);
  });
});

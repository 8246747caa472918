import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { withCheckObserver, type CheckResult } from '../../../src/server/domain/check';
import { OAuthError } from '../../../src/server/domain/oauth-error';
import { checkCodeChallenge, checkPkceVerifier } from '../../../src/server/domain/pkce';

const verifier = 'dBjftJeZ4CVP-mJ92K9.qgu~3VUk2Y9lPSnJ_1Xx5s0';
const challenge = createHash('sha256').update(verifier).digest('base64url');

function failure(fn: () => unknown): { error: OAuthError; failed: string[] } {
  const results: CheckResult[] = [];
  try {
    withCheckObserver({ record: (r) => results.push(r) }, fn);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuthError);
    return { error: e as OAuthError, failed: results.filter((r) => r.outcome === 'failed').map((r) => r.id) };
  }
  throw new Error('expected a failure');
}

describe('checkCodeChallenge (RFC 7636 §4.2–4.4)', () => {
  it('accepts an S256 challenge and records its checks', () => {
    const results: CheckResult[] = [];
    const checked = withCheckObserver({ record: (r) => results.push(r) }, () =>
      checkCodeChallenge({ code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    expect(checked).toEqual({ code_challenge: challenge, code_challenge_method: 'S256' });
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      ['pkce.challenge_present', 'passed'],
      ['pkce.challenge_method', 'passed'],
      ['pkce.challenge_syntax', 'passed'],
    ]);
  });

  it.each([
    ['a missing challenge', { code_challenge_method: 'S256' }, 'pkce.challenge_present'],
    ['an empty challenge', { code_challenge: '', code_challenge_method: 'S256' }, 'pkce.challenge_present'],
    [
      'a repeated challenge (array)',
      { code_challenge: [challenge, challenge], code_challenge_method: 'S256' },
      'pkce.challenge_present',
    ],
    ['method plain', { code_challenge: challenge, code_challenge_method: 'plain' }, 'pkce.challenge_method'],
    ['no method (means plain)', { code_challenge: challenge }, 'pkce.challenge_method'],
    [
      'method s256 (case matters)',
      { code_challenge: challenge, code_challenge_method: 's256' },
      'pkce.challenge_method',
    ],
    [
      'a 42-character challenge',
      { code_challenge: challenge.slice(1), code_challenge_method: 'S256' },
      'pkce.challenge_syntax',
    ],
    [
      'a 44-character challenge',
      { code_challenge: `${challenge}A`, code_challenge_method: 'S256' },
      'pkce.challenge_syntax',
    ],
    [
      'a challenge with padding',
      { code_challenge: `${challenge.slice(1)}=`, code_challenge_method: 'S256' },
      'pkce.challenge_syntax',
    ],
  ])('refuses %s with a redirectable invalid_request', (_, params, checkId) => {
    const { error, failed } = failure(() => checkCodeChallenge(params));
    expect(error.error).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.redirectable).toBe(true);
    expect(failed).toEqual([checkId]);
  });
});

describe('checkPkceVerifier (RFC 7636 §4.6)', () => {
  it('accepts the verifier of the challenge (RFC 7636 Appendix B vector too)', () => {
    expect(() => checkPkceVerifier(verifier, challenge)).not.toThrow();
    expect(() =>
      checkPkceVerifier(
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      ),
    ).not.toThrow();
  });

  it.each([
    ['a missing verifier', undefined, 'pkce.verifier_present'],
    ['a repeated verifier (array)', [verifier, verifier], 'pkce.verifier_present'],
    ['a 42-character verifier', verifier.slice(1), 'pkce.verifier_syntax'],
    ['a 129-character verifier', 'a'.repeat(129), 'pkce.verifier_syntax'],
    ['a verifier with a reserved character', `${verifier.slice(1)}+`, 'pkce.verifier_syntax'],
    ['a wrong verifier', 'x'.repeat(43), 'pkce.verifier'],
    ['the challenge itself sent as verifier (plain)', challenge, 'pkce.verifier'],
  ])('refuses %s with invalid_grant', (_, value, checkId) => {
    const { error, failed } = failure(() => checkPkceVerifier(value, challenge));
    expect(error.error).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(failed).toEqual([checkId]);
  });

  it('accepts 128-character verifiers', () => {
    const long = 'a'.repeat(128);
    expect(() =>
      checkPkceVerifier(long, createHash('sha256').update(long).digest('base64url')),
    ).not.toThrow();
  });
});

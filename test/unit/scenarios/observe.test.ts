import { describe, expect, it } from 'vitest';
import type { ClientResponse } from '../../../src/client';
import { issProblem, observe, withProblem, withProblems } from '../../../src/scenarios/observe';
import { withParam } from '../../../src/scenarios/flows';

const response = (status: number, body: string, headers: Record<string, string> = {}): ClientResponse =>
  ({
    status,
    body,
    headers: new Headers(headers),
    url: 'http://127.0.0.1:1/authorize',
    report: {},
  }) as unknown as ClientResponse;

describe('observe', () => {
  it('reads the error of a redirect to the client', () => {
    expect(
      observe(
        response(303, '', {
          location: 'http://127.0.0.1/callback?error=invalid_request&error_description=x&state=s',
        }),
      ),
    ).toEqual({
      status: 303,
      error: 'invalid_request',
      error_description: 'x',
    });
  });
  it('sees no error in a redirect to the login page', () => {
    expect(observe(response(303, '', { location: '/interaction/abc' }))).toEqual({ status: 303 });
  });
  it('reads a JSON error body', () => {
    expect(observe(response(400, '{"error":"invalid_grant","error_description":"used"}'))).toMatchObject({
      error: 'invalid_grant',
    });
  });
  it('reads WWW-Authenticate when there is no JSON', () => {
    expect(
      observe(response(401, '', { 'www-authenticate': 'DPoP error="invalid_dpop_proof", algs="ES256"' })),
    ).toMatchObject({
      status: 401,
      error: 'invalid_dpop_proof',
    });
  });
  it('reads the error page’s code', () => {
    expect(
      observe(
        response(400, '<dl><dd><code>invalid_request_uri</code></dd></dl>', { 'content-type': 'text/html' }),
      ),
    ).toEqual({
      status: 400,
      error: 'invalid_request_uri',
    });
  });
  it('reports a success as its status only', () => {
    expect(observe(response(200, '{"active":false}'))).toEqual({ status: 200 });
  });
});

describe('withProblem and withProblems', () => {
  it('append problems in order and leave the observation alone when there are none', () => {
    const observation = { status: 200 };
    expect(withProblems(observation, [])).toBe(observation);
    expect(withProblem(observation, undefined)).toBe(observation);
    const one = withProblem(observation, 'first');
    expect(withProblems(one, ['second', 'third'])).toEqual({
      status: 200,
      problems: ['first', 'second', 'third'],
    });
    expect(observation).toEqual({ status: 200 });
  });
});

describe('issProblem (RFC 9207 §2)', () => {
  const issuer = 'http://127.0.0.1:1';
  const redirect = (query: string) => response(303, '', { location: `https://rp.example/cb?${query}` });

  it('finds none when the redirect names the issuer, error responses included', () => {
    expect(issProblem(redirect(`code=c&iss=${encodeURIComponent(issuer)}`), issuer)).toBeUndefined();
    expect(
      issProblem(redirect(`error=login_required&iss=${encodeURIComponent(issuer)}`), issuer),
    ).toBeUndefined();
  });
  it('names a missing or foreign iss', () => {
    expect(issProblem(redirect('error=access_denied'), issuer)).toBe(
      'iss is null, not the issuer (RFC 9207 §2)',
    );
    expect(issProblem(redirect('error=access_denied&iss=https%3A%2F%2Fother.example'), issuer)).toBe(
      'iss is https://other.example, not the issuer (RFC 9207 §2)',
    );
  });
  it('leaves a response that does not redirect to the expected status', () => {
    expect(issProblem(response(200, '<html>'), issuer)).toBeUndefined();
  });
});

describe('withParam', () => {
  it('sets every occurrence of the parameter, and leaves the others and the input alone', () => {
    const params: [string, string][] = [
      ['a', '1'],
      ['b', '2'],
      ['a', '3'],
    ];
    expect(withParam(params, 'a', 'x')).toEqual([
      ['a', 'x'],
      ['b', '2'],
      ['a', 'x'],
    ]);
    expect(withParam(params, 'c', 'x')).toEqual(params);
    expect(params[0]).toEqual(['a', '1']);
  });
});

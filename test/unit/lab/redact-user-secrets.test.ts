import { describe, expect, it } from 'vitest';
import { clientExchange } from '../../../src/server/lab/client-exchange-report';
import {
  REDACTED,
  redactPasswordField,
  redactSessionCookie,
} from '../../../src/server/lab/redact-user-secrets';

const redacted = encodeURIComponent(REDACTED);

describe('the lab never stores the user’s password or session cookie', () => {
  it('replaces the password field of a form body, wherever it stands, and nothing else', () => {
    expect(redactPasswordField('csrf_token=x&username=alice&password=wonderland')).toBe(
      `csrf_token=x&username=alice&password=${redacted}`,
    );
    expect(redactPasswordField('password=a%26b&x=1')).toBe(`password=${redacted}&x=1`);
    expect(redactPasswordField('client_secret=s&old_password_hint=1')).toBe(
      'client_secret=s&old_password_hint=1',
    );
    expect(redactPasswordField('grant_type=client_credentials')).toBe('grant_type=client_credentials');
  });

  it('replaces the session cookie value in Cookie and Set-Cookie headers, keeping other cookies', () => {
    expect(redactSessionCookie('trusty_csrf=abc; trusty_session=s3cr3t')).toBe(
      `trusty_csrf=abc; trusty_session=${redacted}`,
    );
    expect(redactSessionCookie('trusty_session=s3cr3t; Path=/; HttpOnly')).toBe(
      `trusty_session=${redacted}; Path=/; HttpOnly`,
    );
  });

  it('applies to the demo client’s own reports too', () => {
    const exchange = clientExchange({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      label: 'browser POST /interaction/x/login',
      method: 'POST',
      url: 'http://127.0.0.1:1/interaction/x/login',
      requestHeaders: { Cookie: 'trusty_session=abc' },
      requestBody: 'username=alice&password=wonderland',
      status: 303,
      responseHeaders: { 'set-cookie': 'trusty_session=def; Path=/' },
      responseBody: null,
      startedAt: 0,
      durationMs: 1,
    });
    expect(JSON.stringify(exchange)).not.toMatch(/wonderland|trusty_session=abc|trusty_session=def/);
  });
});

import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl } from '../../../src/main/external-url';
import { isTrustedSender } from '../../../src/main/ipc-sender-policy';
import { decideNavigation } from '../../../src/main/navigation-policy';
import { isOnOrigin, originOf } from '../../../src/main/origins';
import { decidePermission } from '../../../src/main/permission-policy';
import { decideRequest } from '../../../src/main/request-policy';
import { decideWindowOpen } from '../../../src/main/window-open-policy';

const origins = { labOrigin: 'http://127.0.0.1:53123', issuer: 'http://127.0.0.1:53122' };

describe('originOf / isOnOrigin', () => {
  it('compares scheme, host and port exactly', () => {
    expect(originOf('http://127.0.0.1:53123/x?y#z')).toBe('http://127.0.0.1:53123');
    expect(isOnOrigin('http://127.0.0.1:53123/a', [origins.labOrigin])).toBe(true);
    expect(isOnOrigin('http://127.0.0.1:53124/a', [origins.labOrigin])).toBe(false);
    expect(isOnOrigin('https://127.0.0.1:53123/a', [origins.labOrigin])).toBe(false);
    expect(isOnOrigin('http://localhost:53123/a', [origins.labOrigin])).toBe(false);
  });
  it('gives no origin to non-web URLs', () => {
    for (const url of [
      'about:blank',
      'data:text/html,hi',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'nonsense',
    ]) {
      expect(originOf(url)).toBeNull();
    }
  });
  it('is not fooled by userinfo or look-alike hosts', () => {
    expect(isOnOrigin('http://127.0.0.1:53123@evil.example/', [origins.labOrigin])).toBe(false);
    expect(isOnOrigin('http://127.0.0.1.evil.example:53123/', [origins.labOrigin])).toBe(false);
  });
});

describe('decideNavigation (will-navigate / will-redirect)', () => {
  it('allows the lab UI and the provider', () => {
    expect(decideNavigation('http://127.0.0.1:53123/inspector', origins)).toBe('allow');
    expect(decideNavigation('http://127.0.0.1:53122/authorize?request_uri=x', origins)).toBe('allow');
  });
  it('denies everything else', () => {
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:9999/',
      'file:///home/user/.ssh/id_rsa',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'chrome://settings',
    ]) {
      expect(decideNavigation(url, origins)).toBe('deny');
    }
  });
});

describe('decideWindowOpen (setWindowOpenHandler)', () => {
  it('opens a login window onto the issuer only', () => {
    expect(decideWindowOpen('http://127.0.0.1:53122/authorize?client_id=a', origins)).toEqual({
      action: 'login-window',
      url: 'http://127.0.0.1:53122/authorize?client_id=a',
    });
  });
  it('sends other web links to the system browser', () => {
    expect(decideWindowOpen('https://www.rfc-editor.org/rfc/rfc9449', origins)).toEqual({
      action: 'external',
      url: 'https://www.rfc-editor.org/rfc/rfc9449',
    });
  });
  it('refuses a second lab window and every non-web scheme', () => {
    expect(decideWindowOpen('http://127.0.0.1:53123/', origins)).toEqual({ action: 'deny' });
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:x',
      'about:blank',
    ]) {
      expect(decideWindowOpen(url, origins)).toEqual({ action: 'deny' });
    }
  });
});

describe('isSafeExternalUrl (shell.openExternal)', () => {
  it('accepts plain http and https links', () => {
    expect(isSafeExternalUrl('https://openid.net/specs/fapi-2_0-security-profile.html')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/')).toBe(true);
  });
  it('refuses other schemes, credentials and garbage', () => {
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share',
      'javascript:alert(1)',
      'vscode://x',
      'https://bank.example@evil.example/',
      'not a url',
      '',
    ]) {
      expect(isSafeExternalUrl(url)).toBe(false);
    }
  });
});

describe('decidePermission', () => {
  it('denies every permission, even to the lab origin, but clipboard writes by the lab UI', () => {
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'hid',
    ]) {
      expect(decidePermission(permission, `${origins.labOrigin}/`, origins.labOrigin)).toBe(false);
    }
    expect(decidePermission('clipboard-sanitized-write', `${origins.labOrigin}/#x`, origins.labOrigin)).toBe(
      true,
    );
    expect(decidePermission('clipboard-sanitized-write', origins.labOrigin, origins.labOrigin)).toBe(true);
    expect(decidePermission('clipboard-sanitized-write', `${origins.issuer}/`, origins.labOrigin)).toBe(
      false,
    );
    expect(decidePermission('clipboard-sanitized-write', 'not a url', origins.labOrigin)).toBe(false);
    expect(decidePermission('clipboard-sanitized-write', `${origins.labOrigin}/`, undefined)).toBe(false);
  });
});

describe('isTrustedSender (IPC)', () => {
  it('trusts only frames on the lab origin', () => {
    expect(isTrustedSender('http://127.0.0.1:53123/', origins.labOrigin)).toBe(true);
    expect(isTrustedSender('http://127.0.0.1:53122/login', origins.labOrigin)).toBe(false);
    expect(isTrustedSender('https://evil.example/', origins.labOrigin)).toBe(false);
    expect(isTrustedSender('about:blank', origins.labOrigin)).toBe(false);
    expect(isTrustedSender(undefined, origins.labOrigin)).toBe(false);
    expect(isTrustedSender(null, origins.labOrigin)).toBe(false);
  });
});

describe('decideRequest (onBeforeRequest)', () => {
  it('allows the lab, the provider and local schemes', () => {
    expect(decideRequest('http://127.0.0.1:53123/assets/index.js', origins)).toBe('allow');
    expect(decideRequest('http://127.0.0.1:53122/token', origins)).toBe('allow');
    expect(decideRequest('ws://127.0.0.1:53123/socket', origins)).toBe('allow');
    expect(decideRequest('data:image/png;base64,AAAA', origins)).toBe('allow');
    expect(decideRequest('devtools://devtools/bundled/inspector.html', origins)).toBe('allow');
  });
  it('cancels remote content and file URLs', () => {
    for (const url of [
      'https://cdn.example.com/x.js',
      'https://fonts.googleapis.com/css',
      'file:///etc/passwd',
      'wss://evil.example/',
      'http://127.0.0.1:1/',
    ]) {
      expect(decideRequest(url, origins)).toBe('cancel');
    }
  });
  it('cancels network requests while the lab is not running', () => {
    expect(decideRequest('http://127.0.0.1:53123/', null)).toBe('cancel');
  });
});

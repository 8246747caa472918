import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../../../src/bench/chromium-launch';
import {
  formActionSource,
  pageCsp,
  renderConsentPage,
  renderErrorPage,
  renderLoggedOutPage,
  renderLoginPage,
  renderLogoutConfirmPage,
  renderStillSignedInPage,
  type Locale,
} from '../../../src/server/http/views';

// The pages in a real browser, served with their CSP: the stylesheet must not be blocked, forms
// must post with JavaScript off, and axe must find no accessibility violation. Skipped, saying so, where
// no Chromium is installed.
const launchOptions = chromiumLaunchOptions();
const haveBrowser = launchOptions.executablePath !== undefined || existsSync(chromium.executablePath());
if (!haveBrowser) console.warn('pages-in-browser: no Chromium found; browser checks skipped');

const hidden = { request_uri: 'urn:ietf:params:oauth:request_uri:abc' };
const pages = (locale: Locale): Record<string, string> => ({
  login: renderLoginPage({
    locale,
    clientName: 'Demo',
    action: '/post',
    hiddenFields: hidden,
    csrfToken: 'c1',
  }),
  'login-error': renderLoginPage({
    locale,
    clientName: 'Demo',
    action: '/post',
    hiddenFields: hidden,
    csrfToken: 'c1',
    username: 'alice',
    error: 'invalid_credentials',
  }),
  consent: renderConsentPage({
    locale,
    clientName: 'Demo',
    clientId: 'demo',
    userName: 'alice',
    scopes: ['openid', 'profile', 'email', 'offline_access', 'accounts'],
    action: '/post',
    hiddenFields: hidden,
    csrfToken: 'c1',
  }),
  error: renderErrorPage({ locale, error: 'invalid_request', error_description: 'unknown redirect_uri' }),
  logout: renderLogoutConfirmPage({
    locale,
    clientName: 'Demo',
    action: '/post',
    hiddenFields: {},
    csrfToken: 'c1',
  }),
  'logged-out': renderLoggedOutPage({ locale }),
  'still-signed-in': renderStillSignedInPage({ locale }),
});

describe.skipIf(!haveBrowser)('provider pages in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  const posts: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'POST') {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          posts.push(body);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
        return;
      }
      const [, locale = 'en', name = ''] = (req.url ?? '').split('/');
      const page = pages(locale === 'fr' ? 'fr' : 'en')[name];
      if (!page) return void res.writeHead(404).end();
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': pageCsp([formActionSource('https://rp.example/cb')]),
        })
        .end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ headless: true, ...launchOptions });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  for (const locale of ['en', 'fr'] as const) {
    it(`${locale}: every page is styled under its CSP with no violation`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      for (const name of Object.keys(pages(locale))) {
        await page.goto(`${origin}/${locale}/${name}`);
        // The hashed stylesheet applied: the card has its rounded border. (Measuring runs in
        // Playwright's own world; the page itself has no script.)
        expect(await page.locator('.card').evaluate((el) => getComputedStyle(el).borderRadius), name).toBe(
          '12px',
        );
      }
      expect(violations).toEqual([]);
      await context.close();
    }, 60_000);

    it(`${locale}: axe finds no accessibility violation`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      // Every kind of page in English; in French the one with the longest strings, for lang and layout.
      for (const name of locale === 'en'
        ? ['login-error', 'consent', 'error', 'logout', 'logged-out']
        : ['consent']) {
        await page.goto(`${origin}/${locale}/${name}`);
        const axe = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'])
          .analyze();
        expect(
          axe.violations.map((v) => `${name} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        ).toEqual([]);
      }
      await context.close();
    }, 90_000);
  }

  it('posts the login form without JavaScript, with the CSRF token and hidden fields', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}/en/login`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('s3cret & more');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/post`);
    const body = new URLSearchParams(posts.at(-1));
    expect(Object.fromEntries(body)).toEqual({
      csrf_token: 'c1',
      request_uri: hidden.request_uri,
      username: 'alice',
      password: 's3cret & more',
    });
    await context.close();
  });

  it('posts the consent decision of the button pressed', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${origin}/fr/consent`);
    await page.getByRole('button', { name: 'Refuser' }).click();
    await page.waitForURL(`${origin}/post`);
    expect(new URLSearchParams(posts.at(-1)).getAll('decision')).toEqual(['deny']);
    await context.close();
  });
});

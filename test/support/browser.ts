import { CookieJar, parseForms } from '../../src/client';

/**
 * A minimal browser for tests: a cookie jar, manual redirects, and form submission — enough to walk
 * the provider's login, consent and logout pages as a user would.
 */
export class TestBrowser {
  readonly jar = new CookieJar();

  async get(url: string): Promise<Response> {
    return this.request('GET', url);
  }

  async request(method: string, url: string, body?: URLSearchParams): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'text/html' };
    const cookie = this.jar.headerFor(url);
    if (cookie) headers.Cookie = cookie;
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.jar.storeFrom(url, response.headers);
    return response;
  }

  /** Follows 303/302 redirects on the provider until a page or a redirect to `stopAt` (returned as a URL). */
  async follow(
    response: Response,
    url: string,
    stopAt?: string,
  ): Promise<{ response: Response; url: string }> {
    let current = response;
    let currentUrl = url;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400; i++) {
      const location = new URL(current.headers.get('location') ?? '', currentUrl).toString();
      if (stopAt && location.startsWith(stopAt)) return { response: current, url: location };
      currentUrl = location;
      current = await this.get(location);
    }
    return { response: current, url: currentUrl };
  }

  /** Submits the first form of `html` (served at `pageUrl`) with `fields` filled and `submit` as the button. */
  async submit(
    html: string,
    pageUrl: string,
    fields: Record<string, string>,
    submit?: { name: string; value: string },
  ): Promise<Response> {
    const form = parseForms(html, pageUrl)[0];
    if (!form) throw new Error(`no form on ${pageUrl}`);
    const body = new URLSearchParams();
    for (const field of form.fields) {
      if (field.type === 'submit') continue;
      body.set(field.name, fields[field.name] ?? field.value);
    }
    if (submit) body.set(submit.name, submit.value);
    return this.request(form.method.toUpperCase(), form.action, body);
  }
}

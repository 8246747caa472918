import { formSubmission, parseForms, type ClientResponse, type HtmlForm } from '../client';
import { SetupFailure, type ScenarioContext } from './context';
import { newPkce, parRequest, pushedRequestUri } from './flows';

/**
 * The user's browser on the provider's own pages, one request at a time, for scenarios that stop
 * between pages (a consent page left open while the user logs out). Cookies are the scenario
 * browser's (`ScenarioContext.browser`); redirects are data, followed by `follow` only on the
 * provider's origin.
 */
export class BrowserPages {
  constructor(private readonly ctx: ScenarioContext) {}

  request(method: 'GET' | 'POST', url: string, body?: URLSearchParams): Promise<ClientResponse> {
    return this.ctx.browser.send({
      label: `browser ${method} ${new URL(url).pathname}`,
      method,
      url,
      headers: { Accept: 'text/html' },
      body: body ?? null,
      redirect: 'manual',
    });
  }

  /** Follows 303s that stay on the provider; stops at a page or at a redirect leaving it. */
  async follow(response: ClientResponse): Promise<ClientResponse> {
    const origin = new URL(this.ctx.target.issuer).origin;
    let current = response;
    for (let i = 0; i < 10; i++) {
      const location = current.headers.get('location');
      if (current.status < 300 || current.status >= 400 || !location) return current;
      const target = new URL(location, current.url);
      if (target.origin !== origin) return current;
      current = await this.request('GET', target.href);
    }
    return current;
  }

  /** The page's form that has a field or button named `name`; a setup failure when there is none. */
  form(page: ClientResponse, name: string, step: string): HtmlForm {
    const form = parseForms(page.body, page.url).find(
      (candidate) =>
        candidate.fields.some((field) => field.name === name) ||
        candidate.buttons.some((button) => button.name === name),
    );
    if (!form) {
      throw new SetupFailure(step, {
        status: page.status,
        error: 'unexpected page',
        error_description: `no form with "${name}" at ${page.url}`,
      });
    }
    return form;
  }

  /** Submits `form` with its own values, `values` on top (hidden fields such as the CSRF token kept). */
  submit(form: HtmlForm, values: Record<string, string>): Promise<ClientResponse> {
    const { method, url, body } = formSubmission(form, values);
    return this.request(method, url, body);
  }

  /** The first page of a new FAPI authorization (PAR with `extra`, then the authorization endpoint). */
  async openFapiAuthorization(extra: readonly [string, string][]): Promise<ClientResponse> {
    const client = this.ctx.client('fapi');
    const pushed = await parRequest(this.ctx, client, await newPkce(), await this.ctx.dpopKey());
    pushed.params.push(...extra);
    const requestUri = await pushedRequestUri(this.ctx, pushed);
    const authorize = new URL(await this.ctx.endpoint('authorization_endpoint'));
    authorize.searchParams.set('client_id', client.client_id);
    authorize.searchParams.set('request_uri', requestUri);
    return this.follow(await this.request('GET', authorize.href));
  }

  /**
   * The consent page of a new FAPI authorization, reached by logging in on it: the browser logged out
   * first, so that the login happens on this authorization, and prompt=consent, so that the page is
   * shown whatever this user granted before.
   */
  async consentPageAfterLogin(): Promise<ClientResponse> {
    await this.logOut();
    const login = await this.openFapiAuthorization([['prompt', 'consent']]);
    const { username, password } = this.ctx.user();
    return this.follow(await this.submit(this.form(login, 'password', 'login'), { username, password }));
  }

  /** RP-initiated logout without a hint, confirmed on the provider's page: the browser's session ends. */
  async logOut(): Promise<void> {
    const confirm = await this.request('GET', await this.ctx.endpoint('end_session_endpoint'));
    const done = await this.submit(this.form(confirm, 'decision', 'logout confirmation'), {
      decision: 'logout',
    });
    if (done.status >= 400) {
      throw new SetupFailure('logout', { status: done.status, error: 'logout refused' });
    }
  }
}

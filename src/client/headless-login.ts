import { CookieJar } from './cookie-jar';
import { HttpClient, type ClientResponse, type FetchLike } from './http';
import { formSubmission, parseForms, type FormSubmission } from './html-form';

export interface HeadlessLoginOptions {
  username: string;
  password: string;
  consent?: 'allow' | 'deny';
  /** The client's redirect_uri: the walk stops at the first redirect to it. When absent, at the first
   * redirect that leaves the provider's origin. */
  redirectUri?: string;
  /** Send through this client (its trace id and observer); a plain one on `fetch` otherwise. */
  http?: HttpClient;
  fetch?: FetchLike;
  /** Upper bound on requests, against redirect loops. Default 20. */
  maxRequests?: number;
}

export class HeadlessLoginError extends Error {
  readonly status: number | undefined;
  readonly url: string;

  constructor(message: string, url: string, status?: number) {
    super(message);
    this.name = 'HeadlessLoginError';
    this.url = url;
    this.status = status;
  }
}

const withoutQuery = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/** A short readable excerpt of a page, to say why the walk stopped. */
const excerpt = (html: string): string =>
  html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);

/**
 * Plays the user's browser through the provider's pages without a browser: follows the 303s by hand
 * with a cookie jar, fills and submits the login form, answers the consent form, and returns the
 * callback URL the provider redirects to (the authorization response, RFC 6749 §4.1.2). Works in Node.
 */
export async function loginHeadless(
  authorizationUrl: string,
  options: HeadlessLoginOptions,
): Promise<string> {
  const http = options.http ?? new HttpClient({ fetch: options.fetch });
  const jar = new CookieJar();
  const providerOrigin = new URL(authorizationUrl).origin;
  const isCallback = (url: string): boolean =>
    options.redirectUri !== undefined
      ? withoutQuery(url) === withoutQuery(options.redirectUri)
      : new URL(url).origin !== providerOrigin;
  const maxRequests = options.maxRequests ?? 20;
  let loginsSubmitted = 0;

  const request = async (method: string, url: string, body?: URLSearchParams): Promise<ClientResponse> => {
    const headers: Record<string, string> = { Accept: 'text/html' };
    const cookie = jar.headerFor(url);
    if (cookie) headers.Cookie = cookie;
    const response = await http.send({
      label: `browser ${method} ${new URL(url).pathname}`,
      method,
      url,
      headers,
      body: body ?? null,
      redirect: 'manual',
    });
    jar.storeFrom(url, response.headers);
    return response;
  };

  let response = await request('GET', authorizationUrl);
  for (let count = 1; count < maxRequests; count++) {
    const { status, url } = response;
    if (status >= 300 && status < 400) {
      const location = response.headers.get('location');
      if (!location) throw new HeadlessLoginError(`a ${status} without Location`, url, status);
      const target = new URL(location, url).href;
      if (isCallback(target)) return target;
      response = await request('GET', target);
      continue;
    }
    if (status !== 200) {
      throw new HeadlessLoginError(`the provider answered ${status}: ${excerpt(response.body)}`, url, status);
    }

    const forms = parseForms(response.body, url);
    const login = forms.find((form) => form.fields.some((field) => field.name === 'password'));
    const consent = forms.find((form) => form.buttons.some((button) => button.name === 'decision'));
    let submission: FormSubmission;
    if (login) {
      if (loginsSubmitted++ > 0) {
        throw new HeadlessLoginError(`the login was refused: ${excerpt(response.body)}`, url, status);
      }
      submission = formSubmission(login, { username: options.username, password: options.password });
    } else if (consent) {
      const decision = options.consent ?? 'allow';
      if (!consent.buttons.some((button) => button.name === 'decision' && button.value === decision)) {
        throw new HeadlessLoginError(`the consent page has no "${decision}" button`, url, status);
      }
      submission = formSubmission(consent, { decision });
    } else {
      throw new HeadlessLoginError(
        `a page with neither login nor consent form: ${excerpt(response.body)}`,
        url,
        status,
      );
    }
    response = await request(submission.method, submission.url, submission.body);
  }
  throw new HeadlessLoginError(`no redirect to the client after ${maxRequests} requests`, response.url);
}

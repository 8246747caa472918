import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, formSubmission, parseForms } from '../../../src/client/html-form';

const page = `<!doctype html>
<html><body>
<h1>Sign in</h1>
<form class="login" method="post" action="../abc/login?lang=en&amp;x=1">
  <input type="hidden" name="csrf" value="a&amp;b&quot;c&#39;d&#x41;">
  <input type='hidden' name='return_to' value='/authorize?client_id=demo&amp;request_uri=urn%3Ax'>
  <input name=username autocomplete=username>
  <input type="password" name="password" value="">
  <input type="checkbox" name="remember" value="1">
  <input type="checkbox" name="terms" value="yes" checked>
  <input type="text" name="disabled_one" value="z" disabled>
  <input type="submit" name="go" value="Sign in">
</form>
<form method="POST" action="">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button name="decision" value="deny">Deny</button>
  <button type="button" name="noop" value="x">Not a submit</button>
</form>
</body></html>`;

describe('parseForms', () => {
  const [login, consent] = parseForms(page, 'https://op.example/interaction/abc/?step=1');

  it('finds every form with its method and action resolved against the page URL', () => {
    expect(login?.method).toBe('POST');
    expect(login?.action).toBe('https://op.example/interaction/abc/login?lang=en&x=1');
    // An empty action is the page itself.
    expect(consent?.action).toBe('https://op.example/interaction/abc/?step=1');
  });

  it('keeps hidden inputs and decodes entities in attribute values', () => {
    const fields = Object.fromEntries(login!.fields.map((field) => [field.name, field.value]));
    expect(fields.csrf).toBe('a&b"c\'dA');
    expect(fields.return_to).toBe('/authorize?client_id=demo&request_uri=urn%3Ax');
    expect(fields.username).toBe('');
    expect(fields.password).toBe('');
  });

  it('leaves out what a browser would not submit', () => {
    const names = login!.fields.map((field) => field.name);
    expect(names).toContain('terms');
    expect(names).not.toContain('remember');
    expect(names).not.toContain('disabled_one');
    expect(names).not.toContain('go');
  });

  it('lists submit buttons with their name and value', () => {
    expect(consent?.buttons).toEqual([
      { name: 'decision', value: 'allow' },
      { name: 'decision', value: 'deny' },
    ]);
    expect(login?.buttons).toEqual([{ name: 'go', value: 'Sign in' }]);
  });

  it('decodes numeric and named references, and leaves unknown ones alone', () => {
    expect(decodeHtmlEntities('&lt;&#60;&#x3c;&amp;amp;&unknown;')).toBe('<<<&amp;&unknown;');
  });

  it('submits a form with its own fields, the given values on top: POST as a body, GET as the query', () => {
    const form = {
      method: 'POST',
      action: 'https://op.example/interaction/1/consent',
      fields: [
        { name: 'csrf', value: 't1', type: 'hidden' },
        { name: 'note', value: 'kept', type: 'text' },
      ],
      buttons: [{ name: 'decision', value: 'allow' }],
    };
    const post = formSubmission(form, { decision: 'allow', note: 'changed' });
    expect(post.method).toBe('POST');
    expect(post.url).toBe(form.action);
    expect(post.body?.toString()).toBe('csrf=t1&note=changed&decision=allow');

    const get = formSubmission(
      { ...form, method: 'GET', action: 'https://op.example/search?x=1' },
      { q: 'a b' },
    );
    expect(get).toEqual({ method: 'GET', url: 'https://op.example/search?x=1&csrf=t1&note=kept&q=a+b' });
  });
});

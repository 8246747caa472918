import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/server/http/views/escape-html';
import { html, raw, SafeHtml } from '../../../src/server/http/views/html';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves ordinary text, including non-ASCII, untouched', () => {
    expect(escapeHtml('Élodie — café 42')).toBe('Élodie — café 42');
  });

  it('escapes an ampersand once, not entity by entity', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('html tagged template', () => {
  it('escapes every interpolated string', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p>${name}</p>`.toString()).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('escapes quotes so a value cannot leave its attribute', () => {
    const value = '" autofocus onfocus="alert(1)';
    // prettier-ignore
    expect(html`<input value="${value}">`.toString()).toBe(
      '<input value="&quot; autofocus onfocus=&quot;alert(1)">',
    );
  });

  it('passes fragments built by html or raw through unescaped', () => {
    const inner = html`<strong>${'a&b'}</strong>`;
    expect(html`<p>${inner}${raw('<br>')}</p>`.toString()).toBe('<p><strong>a&amp;b</strong><br></p>');
  });

  it('does not trust an object that only looks like a fragment', () => {
    const forged = { toString: () => '<img src=x>' } as unknown as string;
    expect(html`${forged}`.toString()).toBe('&lt;img src=x&gt;');
  });

  it('joins arrays, escaping each item, and drops null, undefined and false', () => {
    // prettier-ignore
    expect(html`${['<a>', html`<b>`, 1]}|${null}${undefined}${false}|`.toString()).toBe(
      '&lt;a&gt;<b>1||',
    );
  });

  it('returns a SafeHtml that nests without double escaping', () => {
    const once = html`${'<'}`;
    expect(once).toBeInstanceOf(SafeHtml);
    expect(html`${html`${once}`}`.toString()).toBe('&lt;');
  });
});

import { createHash } from 'node:crypto';

/**
 * The one stylesheet of the provider's pages, inlined so a page is a single response with no
 * other fetch. The CSP allows exactly this text by its hash (`pageCsp`), not 'unsafe-inline'.
 * Colours meet WCAG 2.2 AA contrast in both schemes.
 */
export const pageStyle = `
:root {
  color-scheme: light dark;
  --bg: #f3f5f8; --card: #ffffff; --text: #18212d; --muted: #556173; --border: #d9dee6;
  --accent: #2148c7; --accent-text: #ffffff; --accent-hover: #1a3aa3;
  --secondary: #eef1f6; --secondary-hover: #e2e7ef;
  --alert-bg: #fdeced; --alert-text: #8a1720; --alert-border: #f3c2c6;
  --focus: #2148c7;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e131a; --card: #161d27; --text: #e7ecf3; --muted: #a3aec0; --border: #2a3443;
    --accent: #86a6ff; --accent-text: #0b1224; --accent-hover: #a9c0ff;
    --secondary: #222b38; --secondary-hover: #2c3747;
    --alert-bg: #3a1519; --alert-text: #ffc2c6; --alert-border: #6b2a31;
    --focus: #a9c0ff;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center;
  background: var(--bg); color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
header, main, footer { width: 100%; max-width: 26rem; padding: 0 1rem; }
header { display: flex; align-items: center; gap: .6rem; margin: 3rem 0 1.25rem; }
.brand { font-weight: 650; font-size: 1.05rem; letter-spacing: .01em; }
.tagline { color: var(--muted); font-size: .875rem; }
.mark { width: 1.75rem; height: 1.75rem; flex: none; color: var(--accent); }
.card {
  background: var(--card); border: 1px solid var(--border); border-radius: 12px;
  padding: 1.75rem 1.5rem; box-shadow: 0 1px 2px rgb(0 0 0 / .04), 0 8px 24px rgb(0 0 0 / .06);
}
h1 { font-size: 1.375rem; line-height: 1.3; margin: 0 0 .35rem; font-weight: 650; }
p { margin: 0 0 1rem; }
h1 + .alert { margin-top: 1rem; }
.lead { color: var(--muted); margin-bottom: 1.5rem; }
strong { font-weight: 650; color: var(--text); }
label { display: block; font-weight: 550; margin-bottom: .35rem; }
.field { margin-bottom: 1.1rem; }
input[type="text"], input[type="password"] {
  width: 100%; padding: .65rem .75rem; font: inherit; color: var(--text); background: var(--card);
  border: 1px solid var(--border); border-radius: 8px;
}
button {
  font: inherit; font-weight: 600; width: 100%; padding: .7rem 1rem; border-radius: 8px;
  border: 1px solid transparent; cursor: pointer;
}
.primary { background: var(--accent); color: var(--accent-text); }
.primary:hover { background: var(--accent-hover); }
.secondary { background: var(--secondary); color: var(--text); border-color: var(--border); }
.secondary:hover { background: var(--secondary-hover); }
.actions { display: grid; gap: .6rem; margin-top: 1.5rem; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.alert {
  background: var(--alert-bg); color: var(--alert-text); border: 1px solid var(--alert-border);
  border-radius: 8px; padding: .7rem .85rem; margin-bottom: 1.25rem;
}
.scopes { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--border); }
.scopes li { padding: .7rem 0 .7rem 1.6rem; border-bottom: 1px solid var(--border); position: relative; }
.scopes li::before {
  content: ""; position: absolute; left: .25rem; top: 1.2rem; width: .5rem; height: .5rem;
  border-radius: 50%; background: var(--accent);
}
.meta { color: var(--muted); font-size: .875rem; margin-top: 1rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .875em; overflow-wrap: anywhere; }
dl { margin: 0 0 1rem; }
dt { font-weight: 600; font-size: .875rem; color: var(--muted); }
dd { margin: 0 0 .75rem; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .8125rem; text-align: center; margin: 1.5rem 0 2rem; }
@media (prefers-reduced-motion: no-preference) { button { transition: background-color .15s ease; } }
`;

/** CSP hash source of `pageStyle` (CSP Level 3 hash-source: base64 of the SHA-256 of the element text). */
export const pageStyleHash = `'sha256-${createHash('sha256').update(pageStyle, 'utf8').digest('base64')}'`;

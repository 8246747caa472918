import { formAction, hiddenInputs } from './form-fields';
import { html } from './html';
import type { Locale } from './locale';
import { renderDocument } from './page-document';
import { describeScope } from './scope-descriptions';
import { text, translate } from './translate';

export interface ConsentPageModel {
  locale: Locale;
  clientName: string;
  clientId: string;
  /** The user the browser's session names: the one who consents. */
  userName: string;
  /** The requested scope values, in request order (RFC 6749 §3.3). */
  scopes: string[];
  action: string;
  hiddenFields: Record<string, string>;
  csrfToken: string;
}

/**
 * Asks the End-User to authorise the client (OpenID Connect Core §3.1.2.4): what it will be able to
 * do, scope by scope, and two buttons posting `decision=allow` or `decision=deny`.
 */
export function renderConsentPage(model: ConsentPageModel): string {
  const { locale, clientName } = model;
  const scopes = [...new Set(model.scopes.filter((scope) => scope !== ''))];
  const body = html`<p class="lead">
      ${translate(locale, 'consentIntro', { clientName: html`<strong>${clientName}</strong>` })}
    </p>
    <ul class="scopes">
      ${scopes.map((scope) => html`<li>${describeScope(locale, scope)}</li> `)}
    </ul>
    <p class="meta">
      ${translate(locale, 'consentClientId', { clientId: html`<code>${model.clientId}</code>` })}
    </p>
    <p class="meta">
      ${translate(locale, 'consentSignedInAs', { userName: html`<strong>${model.userName}</strong>` })}
    </p>
    <form method="post" action="${formAction(model.action)}">
      ${hiddenInputs(model.csrfToken, model.hiddenFields)}
      <div class="actions">
        <button type="submit" name="decision" value="allow" class="primary">
          ${translate(locale, 'consentAllow')}
        </button>
        <button type="submit" name="decision" value="deny" class="secondary">
          ${translate(locale, 'consentDeny')}
        </button>
      </div>
    </form>
    <p class="meta">${translate(locale, 'consentFootnote')}</p>`;
  return renderDocument({ locale, title: text(locale, 'consentTitle'), body });
}
